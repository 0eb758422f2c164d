using System.Globalization;
using System.Net;
using GridMap.Cli;
using GridMap.Operations.Demo;
using GridMap.Data;
using GridMap.IntegrationTests.Support;
using GridMap.Routing;
using NetTopologySuite.Geometries;

namespace GridMap.IntegrationTests.Coverage;

/// Coverage, nearest and isochrones on the committed demo city (data/demo), checked against pgRouting.
[Collection("postgres")]
public sealed class DemoCityCoverageTests(PostgresFixture postgres) : IAsyncLifetime
{
    private ApiTestContext _api = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiFactory.StartAsync(postgres, "demo_coverage");
        await using var dataSource = GridMapDataSource.Create(_api.ConnectionString);
        Assert.True(await DemoData.LoadIfEmptyAsync(dataSource, Path.Combine(LocalCluster.FindProjectRoot(), "data", "demo")));
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Coverage_DemoCity_ConsistentFiguresForEveryArea()
    {
        var response = await _api.Anonymous().GetAsync("/coverage");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();

        var households = await _api.ScalarAsync<long>("""
            SELECT sum(households) FROM (SELECT households FROM buildings UNION ALL
              SELECT households FROM compounds c WHERE NOT EXISTS (SELECT 1 FROM buildings b WHERE b.compound_id = c.id)) u
            """);
        var total = body["total"]!;
        Assert.Equal(households, (long)total["households"]!);
        Assert.True((long)total["within"]!["15"]! > households / 2, "most of the demo city lies within 15 minutes");
        foreach (var area in new[] { total }.Concat(body["streets"]!.AsArray()).Concat(body["communities"]!.AsArray()).Concat(body["grids"]!.AsArray()))
        {
            var within = area!["within"]!;
            Assert.True((long)within["5"]! <= (long)within["10"]! && (long)within["10"]! <= (long)within["15"]!
                        && (long)within["15"]! <= (long)area["households"]!);
        }
        Assert.Equal(await _api.ScalarAsync<long>("SELECT count(*) FROM communities"), body["communities"]!.AsArray().Count);
        Assert.True(body["communities"]!.AsArray().Sum(c => (long)c!["households"]!) <= households);
        foreach (var compound in body["uncovered_compounds"]!.AsArray())
            Assert.True(compound!["walk_seconds"] is null || (double)compound["walk_seconds"]! > 15 * 60);
        Assert.Equal(await _api.ScalarAsync<long>("SELECT count(*) FROM buildings"), await _api.ScalarAsync<long>("SELECT count(*) FROM coverage"));
    }

    [Fact]
    public async Task NearestAndIsochrone_DemoCity_Answer()
    {
        var name = await _api.ScalarAsync<string>("SELECT name FROM compounds ORDER BY id LIMIT 1");
        var nearest = await _api.Anonymous().GetAsync($"/nearest?compound={Uri.EscapeDataString(name!)}&k=3");
        Assert.Equal(HttpStatusCode.OK, nearest.StatusCode);
        var stations = (await nearest.JsonAsync())["stations"]!.AsArray();
        Assert.Equal(3, stations.Count);
        var seconds = stations.Select(s => (double)s!["walk_seconds"]!).ToList();
        Assert.Equal(seconds.Order(), seconds);

        var isochrone = await _api.Anonymous().GetAsync("/stations/1/isochrone?minutes=5,10,15");
        Assert.Equal(HttpStatusCode.OK, isochrone.StatusCode);
        var areas = (await isochrone.JsonAsync())["features"]!.AsArray().Select(f => (double)f!["properties"]!["area_m2"]!).ToList();
        Assert.True(areas[0] > 0 && areas[0] < areas[1] && areas[1] < areas[2]);
    }

    [Fact]
    public async Task MultiSource_DemoStations_EqualsPgrDrivingDistance()
    {
        await _api.ExecuteAsync("CREATE EXTENSION IF NOT EXISTS pgrouting");
        await using var dataSource = GridMapDataSource.Create(_api.ConnectionString);
        var inputs = await new CoverageStore(dataSource).ReadInputsAsync();
        var graph = WalkingGraph.Build(inputs.Roads);
        var startNodes = inputs.Stations.Select(s => graph.Snap(graph.Frame.Project(s.Lon, s.Lat), 300))
            .Where(s => s is not null).Select(s => graph.RoadNodes(s!.Value.Road).Start).Distinct().ToArray();
        var paths = new ShortestPaths(graph);
        paths.Run(startNodes.Select((n, i) => new PathSource(n, 0, i)).ToList());
        // The same edges for pgRouting, node and road numbers shifted to start at 1.
        await _api.ExecuteAsync("CREATE TABLE demo_edges (id bigint, source bigint, target bigint, cost double precision)");
        var values = string.Join(",", Enumerable.Range(0, graph.RoadCount).Select(r => string.Create(CultureInfo.InvariantCulture,
            $"({r + 1},{graph.RoadNodes(r).Start + 1},{graph.RoadNodes(r).End + 1},{graph.RoadLengthMeters(r):R})")));
        await _api.ExecuteAsync($"INSERT INTO demo_edges VALUES {values}");
        await using var command = dataSource.CreateCommand($"""
            SELECT node, min(agg_cost) FROM pgr_drivingDistance('SELECT id, source, target, cost FROM demo_edges',
                ARRAY[{string.Join(",", startNodes.Select(n => n + 1))}]::bigint[], 1e9, directed => false) GROUP BY node
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var compared = 0;
        while (await reader.ReadAsync())
        {
            var node = (int)reader.GetInt64(0) - 1;
            Assert.True(Math.Abs(paths.Distance(node) - reader.GetDouble(1)) < 1, $"node {node}");
            compared++;
        }
        Assert.Equal(Enumerable.Range(0, graph.NodeCount).Count(n => !double.IsPositiveInfinity(paths.Distance(n))), compared);
        Assert.True(compared > 500);
    }
}
