using GridMap.Cli;
using GridMap.Operations.Demo;
using GridMap.Data;
using GridMap.IntegrationTests.Support;
using Npgsql;

namespace GridMap.IntegrationTests.Data;

/// The committed demo city loads into PostGIS as `gridmap serve` loads it, and holds what the README promises of it.
[Collection("postgres")]
public sealed class DemoCityLoadTests(PostgresFixture postgres) : IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _dataSource = GridMapDataSource.Create(await postgres.CreateDatabaseAsync("demo_city"));
        await Migrations.ApplyAsync(_dataSource);
        var directory = Path.Combine(LocalCluster.FindProjectRoot(), "data", "demo");
        Assert.True(await DemoData.LoadIfEmptyAsync(_dataSource, directory), $"demo data should load from {directory}");
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task DemoCity_HasTheSizeDesignAsksFor()
    {
        Assert.InRange(await ScalarAsync<long>("SELECT count(*) FROM streets"), 2, 5);
        Assert.InRange(await ScalarAsync<long>("SELECT count(*) FROM compounds"), 120, 200);
        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM buildings") >= 1500);
        Assert.Equal(25L, await ScalarAsync<long>("SELECT count(*) FROM stations"));
        Assert.InRange(await ScalarAsync<long>("SELECT count(*) FROM cameras"), 200, 1000);
        Assert.True(await ScalarAsync<long>("SELECT sum(households) FROM buildings") >= 20_000);
        // Compounds of very different sizes.
        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM compounds WHERE households > 500") > 0);
        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM compounds WHERE households < 300") > 0);
        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM roads WHERE bridge") > 0);
    }

    [Fact]
    public async Task DemoGrids_TileEachCommunityWithoutGapsOrOverlaps()
    {
        // Gap or excess: area of the symmetric difference between a community and the union of its grids.
        var worstMismatchM2 = await ScalarAsync<double>("""
            SELECT max(ST_Area(ST_SymDifference(c.geom, u.geom)::geography))
            FROM communities c JOIN (SELECT community_id, ST_Union(geom) AS geom FROM grids GROUP BY community_id) u
              ON u.community_id = c.id
            """);
        Assert.InRange(worstMismatchM2, 0, 1.0);
        var overlapM2 = await ScalarAsync<double>("""
            SELECT COALESCE(sum(ST_Area(ST_Intersection(a.geom, b.geom)::geography)), 0)
            FROM grids a JOIN grids b ON a.id < b.id AND a.geom && b.geom AND ST_Intersects(a.geom, b.geom)
            """);
        Assert.InRange(overlapM2, 0, 1.0);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM communities c WHERE NOT EXISTS (SELECT 1 FROM grids g WHERE g.community_id = c.id)"));
    }

    [Fact]
    public async Task DemoGrids_HouseholdsAreTheBuildingsInside()
    {
        Assert.Equal(await ScalarAsync<long>("SELECT sum(households) FROM buildings"),
            await ScalarAsync<long>("SELECT sum(households) FROM grids"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM grids WHERE households <> grid_households(geom)"));
    }

    [Fact]
    public async Task DemoRoads_CrossWaterOnlyOnBridges()
    {
        Assert.Equal(0L, await ScalarAsync<long>("""
            SELECT count(*) FROM roads r JOIN water w ON ST_Intersects(r.geom, w.geom) WHERE NOT r.bridge
            """));
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}
