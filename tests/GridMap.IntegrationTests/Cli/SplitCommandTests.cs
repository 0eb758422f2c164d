using System.Globalization;
using System.Text.Json.Nodes;
using GridMap.Cli;
using GridMap.Operations.Demo;
using GridMap.Data;
using GridMap.IntegrationTests.Support;
using Npgsql;

namespace GridMap.IntegrationTests.Cli;

/// `gridmap split` against a real database, run in-process: JSON on stdout only, --all, --apply.
[Collection("postgres")]
public sealed class SplitCommandTests(PostgresFixture postgres) : IAsyncLifetime
{
    private string _connectionString = "";
    private string? _previousDb;

    public async Task InitializeAsync()
    {
        _connectionString = await postgres.CreateDatabaseAsync("cli_split");
        await using (var dataSource = GridMapDataSource.Create(_connectionString))
            await GridMap.Data.Migrations.ApplyAsync(dataSource);
        _previousDb = Environment.GetEnvironmentVariable("GRIDMAP_DB");
        Environment.SetEnvironmentVariable("GRIDMAP_DB", _connectionString);
        await ExecuteAsync("INSERT INTO streets (id, name, geom) VALUES (1, '湖滨街道', ST_Multi(ST_MakeEnvelope(117.8, 31.5, 118.0, 31.7, 4326)))");
        await SeedAsync("东湖社区", 117.90, buildings: 24, households: 40); // 960 households: 2 or 3 grids
        await SeedAsync("西湖社区", 117.92, buildings: 4, households: 50);  // 200: under the minimum
    }

    public Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("GRIDMAP_DB", _previousDb);
        return Task.CompletedTask;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var dataSource = GridMapDataSource.Create(_connectionString);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var dataSource = GridMapDataSource.Create(_connectionString);
        await using var command = dataSource.CreateCommand(sql);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), CultureInfo.InvariantCulture);
    }

    private Task SeedAsync(string name, double west, int buildings, int households)
    {
        string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var sql = $"INSERT INTO communities (name, street_id, geom) VALUES ('{name}', 1, ST_Multi(ST_MakeEnvelope({N(west)}, 31.6, {N(west + 0.006)}, 31.606, 4326)));";
        for (var b = 0; b < buildings; b++)
        {
            var x = west + 0.0005 + b % 6 * 0.0009;
            var y = 31.6005 + b / 6 * 0.0013;
            sql += $"INSERT INTO buildings (households, geom) VALUES ({households}, ST_Multi(ST_MakeEnvelope({N(x)}, {N(y)}, {N(x + 0.0003)}, {N(y + 0.0004)}, 4326)));";
        }
        return ExecuteAsync(sql);
    }

    private static async Task<(int Code, string Stdout)> RunAsync(params string[] args)
    {
        var previous = Console.Out;
        var capture = new StringWriter();
        Console.SetOut(capture);
        try
        {
            var code = await CommandLine.RunAsync(args);
            return (code, capture.ToString());
        }
        finally
        {
            Console.SetOut(previous);
        }
    }

    [Fact]
    public async Task SplitJson_ByName_PrintsOnlyTheSplitObject()
    {
        var (code, stdout) = await RunAsync("split", "--community", "东湖社区", "--json", "--seed", "2");

        Assert.Equal(0, code);
        var split = JsonNode.Parse(stdout)!;
        Assert.True((bool)split["feasible"]!);
        Assert.True((long)split["id"]! > 0);
        var grids = split["grids"]!["features"]!.AsArray();
        Assert.InRange(grids.Count, 2, 3);
        Assert.All(grids, g => Assert.InRange((int)g!["properties"]!["households"]!, 300, 500));
        Assert.Equal(960, grids.Sum(g => (int)g!["properties"]!["households"]!));
    }

    [Fact]
    public async Task SplitAllJson_ListsEveryCommunityWithNamedInfeasibility()
    {
        var (code, stdout) = await RunAsync("split", "--all", "--street", "1", "--json");

        Assert.Equal(0, code);
        var communities = JsonNode.Parse(stdout)!["communities"]!.AsArray();
        Assert.Equal(2, communities.Count);
        Assert.All(communities, c => Assert.True((long)c!["community_id"]! > 0));
        var small = communities.Single(c => !(bool)c!["feasible"]!)!;
        Assert.Equal("community_under_min", (string)small["problems"]![0]!["cause"]!);
    }

    [Fact]
    public async Task SplitApply_ReplacesTheCommunitysGrids()
    {
        var (code, _) = await RunAsync("split", "--community", "东湖社区", "--apply");

        Assert.Equal(0, code);
        var community = await ScalarAsync<long>("SELECT id FROM communities WHERE name = '东湖社区'");
        Assert.Equal(960L, await ScalarAsync<long>($"SELECT sum(households) FROM grids WHERE community_id = {community}"));
        Assert.Equal("applied", await ScalarAsync<string>($"SELECT status FROM split_proposals WHERE community_id = {community} ORDER BY id DESC LIMIT 1"));
    }

    [Theory]
    [InlineData("--community", "东湖社区", "--min", "0")]
    [InlineData("--community", "东湖社区", "--min", "400", "--max", "300")]
    [InlineData("--community", "无此社区")]
    [InlineData("--all", "--community", "东湖社区")]
    [InlineData("--community", "东湖社区", "--max", "many")]
    public async Task Split_BadArguments_ExitCode2AndNothingWritten(params string[] args)
    {
        var before = await ScalarAsync<long>("SELECT count(*) FROM split_proposals");
        var (code, stdout) = await RunAsync(["split", .. args]);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal(before, await ScalarAsync<long>("SELECT count(*) FROM split_proposals"));
    }
}
