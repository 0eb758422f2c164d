using System.Globalization;
using System.Text.Json.Nodes;
using GridMap.Cli;
using GridMap.Operations.Demo;
using GridMap.IntegrationTests.Support;

namespace GridMap.IntegrationTests.Coverage;

/// `gridmap coverage --json` and `gridmap nearest` print what the API answers, and nothing else on stdout.
[Collection("postgres")]
public sealed class CoverageCliTests(PostgresFixture postgres) : IAsyncLifetime
{
    private ApiTestContext _api = null!;
    private string? _previousDb;

    public async Task InitializeAsync()
    {
        _api = await ApiFactory.StartAsync(postgres, "coverage_cli");
        await _api.ExecuteAsync(WalkTestCity.Sql());
        _previousDb = Environment.GetEnvironmentVariable("GRIDMAP_DB");
        Environment.SetEnvironmentVariable("GRIDMAP_DB", _api.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("GRIDMAP_DB", _previousDb);
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task CoverageJson_SameAsGetCoverage()
    {
        var (exit, stdout) = await RunAsync("coverage", "--json", "--minutes", "5,10,15");
        var api = await (await _api.Anonymous().GetAsync("/coverage?minutes=5,10,15")).JsonAsync();

        Assert.Equal(0, exit);
        Assert.True(JsonNode.DeepEquals(api, JsonNode.Parse(stdout)), stdout);
        Assert.Equal(2500, (long)JsonNode.Parse(stdout)!["total"]!["within"]!["15"]!);
    }

    [Fact]
    public async Task Coverage_RewritesCoverageLayer()
    {
        await _api.ExecuteAsync("TRUNCATE coverage");

        var (exit, _) = await RunAsync("coverage");

        Assert.Equal(0, exit);
        Assert.Equal(26, await _api.ScalarAsync<long>("SELECT count(*) FROM coverage"));
        Assert.Equal(2, await _api.ScalarAsync<long>("SELECT station_id FROM coverage WHERE building_id = 26"));
    }

    [Fact]
    public async Task Nearest_SameAsGetNearest()
    {
        var (lon, lat) = WalkTestCity.LonLat(500, 520);
        var lonText = lon.ToString("R", CultureInfo.InvariantCulture);
        var latText = lat.ToString("R", CultureInfo.InvariantCulture);

        var (exit, stdout) = await RunAsync("nearest", "--lon", lonText, "--lat", latText, "--k", "2");
        var api = await (await _api.Anonymous().GetAsync($"/nearest?lon={lonText}&lat={latText}&k=2")).JsonAsync();

        Assert.Equal(0, exit);
        Assert.True(JsonNode.DeepEquals(api, JsonNode.Parse(stdout)), stdout);
    }

    [Fact]
    public async Task Nearest_BadArguments_Exit2()
    {
        Assert.Equal(2, (await RunAsync("nearest", "--lon", "117.87")).Exit);
        Assert.Equal(2, (await RunAsync("nearest", "--lon", "117.87", "--lat", "31.6", "--k", "0")).Exit);
        Assert.Equal(2, (await RunAsync("nearest", "--lon", "118.9", "--lat", "31.6")).Exit);
        Assert.Equal(2, (await RunAsync("coverage", "--speed", "0")).Exit);
    }

    private static async Task<(int Exit, string Stdout)> RunAsync(params string[] args)
    {
        var previous = Console.Out;
        var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            var exit = await CommandLine.RunAsync(args);
            return (exit, captured.ToString());
        }
        finally
        {
            Console.SetOut(previous);
        }
    }
}
