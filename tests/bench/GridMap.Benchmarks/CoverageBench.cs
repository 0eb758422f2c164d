using System.Diagnostics;
using System.Globalization;
using GridMap.Api;
using GridMap.Operations.Coverage;
using GridMap.Api.Database;
using GridMap.Osm;
using GridMap.Operations.Osm;
using GridMap.Data;
using GridMap.Routing;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

using GridMap.Cli;
using GridMap.Operations.Demo;

namespace GridMap.Benchmarks;

/// `gridmap bench coverage [--osm FILE] [--reps N]`: our multi-source coverage pass against
/// pgr_drivingDistance (all stations as start vertices, equicost) and our nearest-station search against
/// pgr_dijkstra, on the same edges in the same run, then nearest-station latency through HTTP. The data
/// goes into a scratch database `gridmap_bench` on the same server: the --osm file, else the demo city.
public static class CoverageBench
{
    private const int NearestPoints = 200;
    private const int PgrNearestPoints = 20;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Options(args);
        var osm = options.Get("osm");
        var reps = int.Parse(options.Get("reps") ?? "7", CultureInfo.InvariantCulture);
        options.RejectUnknown();
        var connectionString = DatabaseLocation.ResolveConnectionString(Environment.GetEnvironmentVariable(DatabaseLocation.ConnectionKey));
        connectionString = await CreateScratchDatabaseAsync(connectionString, "gridmap_bench");
        await using var dataSource = GridMapDataSource.Create(connectionString);
        await Migrations.ApplyAsync(dataSource);
        await using (var ext = dataSource.CreateCommand("CREATE EXTENSION IF NOT EXISTS pgrouting"))
            await ext.ExecuteNonQueryAsync();
        if (osm is not null)
            Console.Error.WriteLine(OsmImport.Describe(await OsmImport.ImportAsync(dataSource, osm, replace: true, null, Console.Error, default)));
        else
            await DemoData.LoadIfEmptyAsync(dataSource, Path.Combine(LocalCluster.FindProjectRoot(), "data", "demo"));
        Console.WriteLine($"data: {osm ?? "demo city (data/demo)"}");

        var inputs = await new CoverageStore(dataSource).ReadInputsAsync();
        if (inputs.Roads.Count == 0)
            throw new UsageException("no roads to benchmark: import some (gridmap import osm FILE) or pass --osm FILE");
        var clock = Stopwatch.StartNew();
        var graph = WalkingGraph.Build(inputs.Roads);
        var buildMs = clock.Elapsed.TotalMilliseconds;
        var frame = graph.Frame;
        var stations = inputs.Stations.Select(s => frame.Project(s.Lon, s.Lat)).Where(c => graph.Snap(c, 300) is not null).ToList();
        var synthetic = 0;
        var random = new Random(42);
        // Extracts with few tagged service stations get extra ones at random network nodes, the same every run.
        while (stations.Count < Math.Max(10, graph.NodeCount / 400))
        {
            stations.Add(graph.NodeCoordinate(random.Next(graph.NodeCount)));
            synthetic++;
        }
        var units = inputs.Units.Select(u => frame.Project(u.Lon, u.Lat)).ToList();
        Console.WriteLine($"network: {graph.NodeCount:N0} nodes, {graph.RoadCount:N0} roads, {graph.TotalLengthMeters / 1000:N1} km; " +
                          $"{stations.Count} stations ({synthetic} synthetic at network nodes); {units.Count:N0} units");
        Console.WriteLine($"graph build: {buildMs:N1} ms");

        // Units join the network once per data version (they do not move when stations change); the pass
        // then joins the stations, runs the multi-source search and reads every unit's time.
        clock.Restart();
        var unitSnaps = units.Select(u => graph.Snap(u, 300)).Where(s => s is not null).Select(s => s!.Value).ToList();
        Console.WriteLine($"units joined to the network: {unitSnaps.Count:N0} of {units.Count:N0} in {clock.Elapsed.TotalMilliseconds:N1} ms (once per data version)");
        var coverage = new WalkCoverage(graph);
        var ours = Median(reps, () =>
        {
            coverage.RunFrom(stations);
            foreach (var unit in unitSnaps)
                coverage.Evaluate(unit);
        });
        Console.WriteLine($"ours, coverage pass (join {stations.Count} stations, multi-source Dijkstra, time of {unitSnaps.Count:N0} units): median {ours:N3} ms of {reps}");

        await using var connection = await dataSource.OpenConnectionAsync();
        await LoadEdgesAsync(connection, graph);
        var startNodes = stations.Select(s => NearerEnd(graph, graph.Snap(s, 300)!.Value)).Distinct().ToArray();
        var drivingSql = $"SELECT node, agg_cost FROM pgr_drivingDistance('SELECT id, source, target, cost FROM bench_edges', " +
                         $"ARRAY[{string.Join(",", startNodes.Select(n => n + 1))}]::bigint[], 1e9, directed => false, equicost => true)";
        Dictionary<long, double> pgrDistances = [];
        var pgr = await MedianAsync(reps, async () => pgrDistances = await ReadCostsAsync(connection, drivingSql));
        Console.WriteLine($"pgr_drivingDistance ({startNodes.Length} start vertices, equicost): median {pgr:N2} ms of {reps}");
        var paths = new ShortestPaths(graph);
        paths.Run(startNodes.Select((n, i) => new PathSource(n, 0, i)).ToList());
        // pgRouting 3.4 with equicost keeps each node with the start vertex whose search reached it first,
        // not always with the least cost; the minimum over starts without equicost is the true answer.
        var plain = await ReadCostsAsync(connection, drivingSql.Replace("equicost => true", "equicost => false", StringComparison.Ordinal));
        var maxDiff = plain.Max(p => Math.Abs(paths.Distance((int)p.Key - 1) - p.Value));
        var equicostOff = pgrDistances.Count(p => Math.Abs(paths.Distance((int)p.Key - 1) - p.Value) > 0.01);
        var reachedOurs = Enumerable.Range(0, graph.NodeCount).Count(n => !double.IsPositiveInfinity(paths.Distance(n)));
        Console.WriteLine($"answers: {plain.Count:N0} nodes reached by pgRouting, {reachedOurs:N0} by ours, max |difference| {maxDiff:G3} m " +
                          $"(vs min over starts without equicost; {equicostOff} nodes where equicost's cost is not the least)");

        var nearest = new NearestStations(graph, stations);
        var points = Enumerable.Range(0, NearestPoints).Select(_ =>
        {
            var c = graph.NodeCoordinate(random.Next(graph.NodeCount));
            return new Coordinate(c.X + random.NextDouble() * 20 - 10, c.Y + random.NextDouble() * 20 - 10);
        }).ToList();
        var oursNearest = Median(reps, () =>
        {
            foreach (var point in points)
                nearest.Find(point, 3);
        }) / points.Count;
        var stationNodes = string.Join(",", startNodes.Select(n => n + 1));
        var pgrTotal = 0.0;
        var nearestDiff = 0.0;
        for (var i = -PgrNearestPoints; i < PgrNearestPoints; i++)
        {
            if (i < 0)
            {
                // Warm-up round: same queries, not timed.
                await ReadCostsAsync(connection, $"SELECT end_vid, agg_cost FROM pgr_dijkstra('SELECT id, source, target, cost FROM bench_edges', " +
                    $"{NearerEnd(graph, graph.Snap(points[i + PgrNearestPoints], 300)!.Value) + 1}, ARRAY[{string.Join(",", startNodes.Select(n => n + 1))}]::bigint[], directed => false)");
                continue;
            }
            var from = NearerEnd(graph, graph.Snap(points[i], 300)!.Value);
            var sql = $"SELECT end_vid, agg_cost FROM pgr_dijkstra('SELECT id, source, target, cost FROM bench_edges', {from + 1}, " +
                      $"ARRAY[{stationNodes}]::bigint[], directed => false) WHERE edge = -1";
            clock.Restart();
            var costs = await ReadCostsAsync(connection, sql);
            pgrTotal += clock.Elapsed.TotalMilliseconds;
            paths.Run([new PathSource(from, 0, 0)]);
            var oursBest = startNodes.Min(n => paths.Distance(n));
            var pgrBest = costs.Count == 0 ? double.PositiveInfinity : costs.Values.Min();
            if (startNodes.Contains(from))
                pgrBest = 0;
            nearestDiff = Math.Max(nearestDiff, double.IsPositiveInfinity(oursBest) && double.IsPositiveInfinity(pgrBest) ? 0 : Math.Abs(oursBest - pgrBest));
        }
        var pgrNearest = pgrTotal / PgrNearestPoints;
        Console.WriteLine($"ours, nearest 3 stations with routes: mean {oursNearest:N3} ms over {points.Count} points (median of {reps} rounds)");
        Console.WriteLine($"pgr_dijkstra (one to {startNodes.Length} station vertices): mean {pgrNearest:N2} ms over {PgrNearestPoints} points; " +
                          $"nearest-station cost max |difference| {nearestDiff:G3} m");
        await HttpNearestLatencyAsync(connectionString, graph, random);
        Console.WriteLine($"ratio coverage: {pgr / ours:N1} (pgr_drivingDistance time ÷ our coverage pass time)");
        Console.WriteLine($"ratio nearest: {pgrNearest / oursNearest:N1} (pgr_dijkstra time ÷ our nearest-station time)");
        return 0;
    }

    /// GET /nearest through a real Kestrel server on a loopback port, one request at a time.
    private static async Task HttpNearestLatencyAsync(string connectionString, WalkingGraph graph, Random random)
    {
        const int requests = 1000;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration[DatabaseLocation.ConnectionKey] = connectionString;
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddGridMap();
        await using var app = builder.Build();
        app.MapGridMap();
        await app.StartAsync();
        var address = app.Urls.First();
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        string Url()
        {
            var c = graph.NodeCoordinate(random.Next(graph.NodeCount));
            var p = (Point)graph.Frame.Unproject(new Point(c.X + random.NextDouble() * 40 - 20, c.Y + random.NextDouble() * 40 - 20));
            return string.Create(CultureInfo.InvariantCulture, $"/nearest?lon={p.X:R}&lat={p.Y:R}&k=3");
        }
        for (var i = 0; i < 50; i++)
            (await client.GetAsync(Url())).EnsureSuccessStatusCode();
        var times = new List<double>(requests);
        for (var i = 0; i < requests; i++)
        {
            var url = Url();
            var clock = Stopwatch.StartNew();
            using var response = await client.GetAsync(url);
            await response.Content.ReadAsByteArrayAsync();
            times.Add(clock.Elapsed.TotalMilliseconds);
            if (response.StatusCode != System.Net.HttpStatusCode.OK && response.StatusCode != System.Net.HttpStatusCode.UnprocessableEntity)
                throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}");
        }
        times.Sort();
        Console.WriteLine($"GET /nearest?k=3 over HTTP: p50 {times[requests / 2]:N2} ms, p95 {times[requests * 95 / 100]:N2} ms over {requests} random points");
        await app.StopAsync();
    }

    private static int NearerEnd(WalkingGraph graph, SnapPoint snap)
    {
        var (start, end) = graph.RoadNodes(snap.Road);
        return snap.AlongMeters <= graph.RoadLengthMeters(snap.Road) / 2 ? start : end;
    }

    private static async Task LoadEdgesAsync(NpgsqlConnection connection, WalkingGraph graph)
    {
        await using (var create = new NpgsqlCommand(
            "DROP TABLE IF EXISTS bench_edges; CREATE TEMP TABLE bench_edges (id bigint, source bigint, target bigint, cost double precision)", connection))
            await create.ExecuteNonQueryAsync();
        await using (var writer = await connection.BeginBinaryImportAsync("COPY bench_edges FROM STDIN (FORMAT BINARY)"))
        {
            for (var road = 0; road < graph.RoadCount; road++)
            {
                var (start, end) = graph.RoadNodes(road);
                await writer.StartRowAsync();
                await writer.WriteAsync((long)road + 1, NpgsqlDbType.Bigint);
                await writer.WriteAsync((long)start + 1, NpgsqlDbType.Bigint);
                await writer.WriteAsync((long)end + 1, NpgsqlDbType.Bigint);
                await writer.WriteAsync(graph.RoadLengthMeters(road), NpgsqlDbType.Double);
            }
            await writer.CompleteAsync();
        }
    }

    private static async Task<Dictionary<long, double>> ReadCostsAsync(NpgsqlConnection connection, string sql)
    {
        var costs = new Dictionary<long, double>();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var node = reader.GetInt64(0);
            var cost = reader.GetDouble(1);
            if (!costs.TryGetValue(node, out var known) || cost < known)
                costs[node] = cost;
        }
        return costs;
    }

    // Warm up for a second first: .NET compiles hot methods fully optimised only after they ran a while
    // (tiered compilation), and the first runs would time the quick unoptimised code.
    private static double Median(int reps, Action action)
    {
        var warmup = Stopwatch.StartNew();
        while (warmup.ElapsedMilliseconds < 1000)
            action();
        var times = new List<double>();
        for (var i = 0; i < reps; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return times.Order().ElementAt(times.Count / 2);
    }

    private static async Task<double> MedianAsync(int reps, Func<Task> action)
    {
        var warmup = Stopwatch.StartNew();
        while (warmup.ElapsedMilliseconds < 1000)
            await action();
        var times = new List<double>();
        for (var i = 0; i < reps; i++)
        {
            var clock = Stopwatch.StartNew();
            await action();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return times.Order().ElementAt(times.Count / 2);
    }

    private static async Task<string> CreateScratchDatabaseAsync(string connectionString, string name)
    {
        var server = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var scratch = new NpgsqlConnectionStringBuilder(connectionString) { Database = name };
        await using (var dataSource = GridMapDataSource.Create(scratch.ConnectionString))
        await using (var postgis = dataSource.CreateCommand("CREATE EXTENSION IF NOT EXISTS postgis"))
            await postgis.ExecuteNonQueryAsync();
        Console.Error.WriteLine($"scratch database {name}");
        return scratch.ConnectionString;
    }
}
