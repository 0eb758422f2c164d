using System.Diagnostics;
using GridMap.Cli;
using GridMap.Operations.Demo;
using GridMap.Data;
using GridMap.IntegrationTests.Support;
using Npgsql;

namespace GridMap.IntegrationTests.Coverage;

/// `gridmap import osm` on the real Beijing extract (data/osm/map.osm, see data/SOURCES.md), read in place.
[Collection("postgres")]
public sealed class OsmImportTests(PostgresFixture postgres) : IAsyncLifetime
{
    /// The Beijing extract in the repository (OSM XML).
    public static readonly string MapOsm = InRepository("map.osm");

    /// Porto (OSM PBF), large enough that an import is still writing when it is killed.
    public static readonly string PortoPbf = InRepository("porto.osm.pbf");

    private static string InRepository(string file) => Path.Combine(GridMap.Data.LocalCluster.FindProjectRoot(), "data", "osm", file);

    private string _connectionString = "";
    private string? _previousDb;
    private readonly string _folder = PostgresFixture.NewTempFolder("gridmap-osm-");

    public async Task InitializeAsync()
    {
        _connectionString = await postgres.CreateDatabaseAsync("osm_import");
        await using (var dataSource = GridMapDataSource.Create(_connectionString))
            await GridMap.Data.Migrations.ApplyAsync(dataSource);
        _previousDb = Environment.GetEnvironmentVariable("GRIDMAP_DB");
        Environment.SetEnvironmentVariable("GRIDMAP_DB", _connectionString);
    }

    public Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("GRIDMAP_DB", _previousDb);
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ImportOsm_MapOsm_WalkableNetworkBuildingsAndCompounds()
    {
        Assert.True(File.Exists(MapOsm), $"missing {MapOsm}");

        Assert.Equal(0, await CommandLine.RunAsync(["import", "osm", MapOsm]));

        // Ways are split at junctions: every road piece is a line with a length, and no walkable way was lost.
        Assert.InRange(await ScalarAsync<long>("SELECT count(*) FROM roads"), 500, 5000);
        Assert.InRange(await ScalarAsync<double>("SELECT sum(length_m) / 1000 FROM roads"), 40, 120);
        Assert.Equal(0, await ScalarAsync<long>("SELECT count(*) FROM roads WHERE length_m <= 0 OR NOT ST_IsValid(geom)"));
        Assert.Equal(0, await ScalarAsync<long>("SELECT count(*) FROM roads WHERE highway IN ('motorway', 'motorway_link')"));
        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM roads WHERE highway = 'footway'") > 0);
        // Households estimated as README states: footprint × levels ÷ 100 m², marked estimated.
        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM buildings") > 200);
        Assert.Equal(0, await ScalarAsync<long>("SELECT count(*) FROM buildings WHERE NOT households_estimated"));
        Assert.Equal(0, await ScalarAsync<long>("""
            SELECT count(*) FROM buildings WHERE households > 0
            AND households <> GREATEST(1, round(ST_Area(geom::geography) * levels / 100))
            """));
        Assert.True(await ScalarAsync<long>("SELECT sum(households) FROM buildings") > 500);
        // Residential areas become compounds holding the buildings inside them; their households add up.
        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM compounds") >= 5);
        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM buildings WHERE compound_id IS NOT NULL") > 10);
        Assert.Equal(0, await ScalarAsync<long>("""
            SELECT count(*) FROM buildings b JOIN compounds c ON c.id = b.compound_id
            WHERE NOT ST_Contains(c.geom, ST_PointOnSurface(b.geom))
            """));
        Assert.Equal(0, await ScalarAsync<long>("""
            SELECT count(*) FROM compounds c
            WHERE households <> COALESCE((SELECT sum(households) FROM buildings b WHERE b.compound_id = c.id), 0)
            """));
    }

    [SkippableFact]
    public async Task ImportOsm_PbfThroughOsmium_SameAsXml()
    {
        RequiredTool.Require("/usr/bin/osmium", "osmium-tool");
        var pbf = Path.Combine(_folder, "map.osm.pbf");
        using (var osmium = Process.Start("osmium", ["cat", MapOsm, "-o", pbf]))
            await osmium.WaitForExitAsync();
        Assert.Equal(0, await CommandLine.RunAsync(["import", "osm", MapOsm]));
        var fromXml = await ScalarAsync<string>("SELECT count(*) || ' ' || round(sum(length_m)) FROM roads");

        Assert.Equal(0, await CommandLine.RunAsync(["import", "osm", pbf, "--replace"]));

        Assert.Equal(fromXml, await ScalarAsync<string>("SELECT count(*) || ' ' || round(sum(length_m)) FROM roads"));
    }

    [Fact]
    public async Task ImportOsm_BrokenFile_Exit2AndPreviousDataKept()
    {
        Assert.Equal(0, await CommandLine.RunAsync(["import", "osm", MapOsm]));
        var before = await ScalarAsync<long>("SELECT count(*) FROM roads");
        var broken = Path.Combine(_folder, "broken.osm");
        var text = await File.ReadAllTextAsync(MapOsm);
        await File.WriteAllTextAsync(broken, text[..(text.Length / 2)]);

        Assert.Equal(2, await CommandLine.RunAsync(["import", "osm", broken, "--replace"]));
        Assert.Equal(2, await CommandLine.RunAsync(["import", "osm", Path.Combine(_folder, "missing.osm")]));

        Assert.Equal(before, await ScalarAsync<long>("SELECT count(*) FROM roads"));
    }

    /// An import killed halfway (SIGKILL while it writes) leaves the previous data intact.
    [SkippableFact]
    public async Task ImportOsm_KilledWhileWriting_PreviousDataKept()
    {
        RequiredTool.Require("/usr/bin/osmium", "osmium-tool");
        Assert.Equal(0, await CommandLine.RunAsync(["import", "osm", MapOsm]));
        var before = await ScalarAsync<string>("SELECT (SELECT count(*) FROM roads) || '/' || (SELECT count(*) FROM buildings)");

        var gridmap = Path.Combine(AppContext.BaseDirectory, "gridmap.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { gridmap, "import", "osm", PortoPbf, "--replace" })
            start.ArgumentList.Add(arg);
        start.Environment["GRIDMAP_DB"] = _connectionString;
        using var import = Process.Start(start)!;
        while (await import.StandardError.ReadLineAsync() is { } line && !line.StartsWith("writing", StringComparison.Ordinal))
        {
        }
        await Task.Delay(200);
        Assert.False(import.HasExited, "the import should still be writing when it is killed");
        import.Kill(entireProcessTree: true);
        await import.WaitForExitAsync();

        Assert.Equal(before, await ScalarAsync<string>("SELECT (SELECT count(*) FROM roads) || '/' || (SELECT count(*) FROM buildings)"));
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var dataSource = GridMapDataSource.Create(_connectionString);
        await using var command = dataSource.CreateCommand(sql);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}
