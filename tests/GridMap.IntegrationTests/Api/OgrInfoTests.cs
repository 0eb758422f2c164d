using System.Diagnostics;
using GridMap.IntegrationTests.Support;

namespace GridMap.IntegrationTests.Api;

/// A standard OGC API – Features client (GDAL's OAPIF driver) must list and read our collections.
[Collection("postgres")]
public sealed class OgrInfoTests(PostgresFixture postgres) : IAsyncLifetime
{
    private ApiTestContext _api = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiFactory.StartAsync(postgres, "ogrinfo");
        await _api.ExecuteAsync("""
            INSERT INTO grids (name, code, geom)
            SELECT '网格' || i, 'G' || i,
                   ST_Multi(ST_MakeEnvelope(117.8 + i * 0.01, 31.6, 117.809 + i * 0.01, 31.609, 4326))
            FROM generate_series(1, 150) i
            """);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [SkippableFact]
    public async Task OgrInfo_ListsCollectionsAndReadsEveryGrid()
    {
        RequiredTool.Require("/usr/bin/ogrinfo", "gdal-bin");
        _api.Factory.UseKestrel(0);
        _api.Factory.StartServer();
        var baseUrl = _api.Factory.ClientOptions.BaseAddress.ToString().TrimEnd('/');

        var list = await RunAsync("-ro", "-q", $"OAPIF:{baseUrl}");
        foreach (var layer in new[] { "streets", "communities", "grids", "compounds", "buildings", "stations", "cameras" })
            Assert.Contains(layer, list);

        var summary = await RunAsync("-ro", "-so", $"OAPIF:{baseUrl}", "grids");
        Assert.Contains("Feature Count: 150", summary);
        Assert.Contains("name: String", summary);

        // Reading all features follows our next links (default page size 100).
        var all = await RunAsync("-ro", "-al", "-q", $"OAPIF:{baseUrl}", "grids");
        Assert.Contains("网格150", all);
        Assert.Equal(150, all.Split("OGRFeature(grids)").Length - 1);
    }

    private static async Task<string> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("ogrinfo") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"ogrinfo {string.Join(' ', args)} failed: {await error}");
        return await output;
    }
}
