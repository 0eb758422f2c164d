using System.Globalization;
using System.Text.Json.Nodes;
using GridMap.Cli;
using GridMap.Data;
using GridMap.IntegrationTests.Support;
using Npgsql;

namespace GridMap.IntegrationTests.Regions;

/// Issue 11.1: `gridmap import osm` on an extract without communities derives them, every home lands in exactly
/// one, and `split --all` gives grids or a named infeasibility for each. Extracts are copies in data/osm
/// (see data/SOURCES.md).
[Collection("postgres")]
public sealed class DerivedCommunityTests(PostgresFixture postgres) : IAsyncLifetime
{
    private string _connectionString = "";
    private string? _previousDb;

    public async Task InitializeAsync()
    {
        _connectionString = await postgres.CreateDatabaseAsync("derived_communities");
        await using (var dataSource = NpgsqlDataSource.Create(_connectionString))
            await Migrations.ApplyAsync(dataSource);
        _previousDb = Environment.GetEnvironmentVariable("GRIDMAP_DB");
        Environment.SetEnvironmentVariable("GRIDMAP_DB", _connectionString);
    }

    public Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("GRIDMAP_DB", _previousDb);
        return Task.CompletedTask;
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await using var command = dataSource.CreateCommand(sql);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData("map.osm")]          // Beijing, Haidian: named compounds
    [InlineData("kbh-clip.osm.pbf")] // central Copenhagen: no compounds, a lake, clipped ways
    public async Task ImportOsm_ExtractWithoutCommunities_EveryHomeInOneDerivedCommunityAndEachSplits(string file)
    {
        var path = Path.Combine(LocalCluster.FindProjectRoot(), "data", "osm", file);

        Assert.Equal(0, await CommandLine.RunAsync(["import", "osm", path]));

        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM communities") >= 1);
        Assert.Equal(0, await ScalarAsync<long>("SELECT count(*) FROM communities WHERE NOT derived OR street_id IS NULL"));
        Assert.Equal(0, await ScalarAsync<long>("""
            SELECT count(*) FROM buildings b
            WHERE b.households > 0
              AND (SELECT count(*) FROM communities c WHERE c.geom && b.geom AND ST_Intersects(c.geom, ST_PointOnSurface(b.geom))) <> 1
            """));
        // The communities of the derived street tile it: no overlap, no gap.
        Assert.Equal(0, await ScalarAsync<long>("""
            SELECT count(*) FROM communities a JOIN communities b ON a.id < b.id AND a.geom && b.geom
            WHERE ST_Area(ST_Intersection(a.geom, b.geom)::geography) > 1
            """));
        Assert.True(await ScalarAsync<double>("""
            SELECT ST_Area(ST_Difference(s.geom, (SELECT ST_Union(geom) FROM communities c WHERE c.street_id = s.id))::geography) FROM streets s
            """) < 1);

        var splits = await SplitAllAsync();
        Assert.Equal(await ScalarAsync<long>("SELECT count(*) FROM communities"), splits.Count);
        foreach (var split in splits)
        {
            var grids = split!["grids"]!["features"]!.AsArray();
            Assert.NotEmpty(grids);
            if ((bool)split["feasible"]!)
                Assert.All(grids, g => Assert.InRange((int)g!["properties"]!["households"]!, 300, 500));
            else
                Assert.NotEmpty(split["problems"]!.AsArray());
        }
    }

    [Fact]
    public async Task ImportOsm_Twice_ReplacesDerivedCommunitiesAndKeepsTheCitysOwn()
    {
        var path = Path.Combine(LocalCluster.FindProjectRoot(), "data", "osm", "map.osm");
        Assert.Equal(0, await CommandLine.RunAsync(["import", "osm", path]));
        var derived = await ScalarAsync<long>("SELECT count(*) FROM communities");

        Assert.Equal(0, await CommandLine.RunAsync(["import", "osm", path, "--replace"]));

        Assert.Equal(derived, await ScalarAsync<long>("SELECT count(*) FROM communities"));
        Assert.Equal(1, await ScalarAsync<long>("SELECT count(*) FROM streets"));
        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM compounds WHERE community_id IS NOT NULL") > 0);
    }

    private static async Task<JsonArray> SplitAllAsync()
    {
        var previous = Console.Out;
        var capture = new StringWriter();
        Console.SetOut(capture);
        try
        {
            Assert.Equal(0, await CommandLine.RunAsync(["split", "--all", "--json"]));
        }
        finally
        {
            Console.SetOut(previous);
        }
        return JsonNode.Parse(capture.ToString())!["communities"]!.AsArray();
    }
}
