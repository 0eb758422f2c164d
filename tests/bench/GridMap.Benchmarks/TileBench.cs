using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using GridMap.Api;
using GridMap.Api.Database;
using GridMap.Api.Tiles;
using GridMap.Data.Tiles;
using GridMap.Operations.Tiles;
using GridMap.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

using GridMap.Cli;
using GridMap.Operations.Demo;

namespace GridMap.Benchmarks;

/// `gridmap bench tiles`: on a synthetic city of known size (and the demo city when data/demo exists), in one
/// run: (a) cold tiles over HTTP vs the same ST_AsMVT SQL run directly; (b) one cached tile under wrk -c64
/// vs nginx serving the same bytes as a static file; (c) edit-to-visible time through the API and through
/// a direct SQL write (an import). Uses a scratch database next to GRIDMAP_DB / the private cluster.
public static partial class TileBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Options(args);
        var seconds = int.Parse(options.Get("seconds") ?? "10", CultureInfo.InvariantCulture);
        var osm = options.Get("osm");
        options.RejectUnknown();
        if (osm is not null && !File.Exists(osm))
            throw new UsageException($"--osm: no file {osm}");
        var demo = Path.Combine(LocalCluster.FindProjectRoot(), "data", "demo");
        var datasets = new List<(string Name, Func<NpgsqlDataSource, Task> Fill)> { ("synthetic city", FillSyntheticCityAsync) };
        if (Directory.Exists(demo))
            datasets.Add(("demo city", async dataSource => await DemoData.LoadIfEmptyAsync(dataSource, demo)));
        if (osm is not null)
            datasets.Add(($"OSM {Path.GetFileName(osm)}", dataSource => FillFromOsmAsync(dataSource, osm)));
        foreach (var (name, fill) in datasets)
            await RunDatasetAsync(name, fill, seconds);
        return 0;
    }

    private static async Task RunDatasetAsync(string name, Func<NpgsqlDataSource, Task> fill, int seconds)
    {
        var connectionString = await ScratchDatabaseAsync("gridmap_bench_tiles");
        await using var dataSource = GridMapDataSource.Create(connectionString);
        await Migrations.ApplyAsync(dataSource);
        Console.Error.WriteLine($"bench tiles: loading the {name} …");
        await fill(dataSource);
        var (lon, lat) = await EnsureGridAtCentreAsync(dataSource);
        Console.WriteLine($"{name}: {await CountsAsync(dataSource)}");
        var plannerKey = (await new ApiKeyStore(dataSource).CreateAsync("bench", "planner")).Secret;

        var port = FreePort();
        var app = BuildServer(connectionString, port);
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await ColdAsync(name, dataSource, http, app.Services.GetRequiredService<TileCache>(), lon, lat);
            await CachedAsync(name, http, seconds, lon, lat);
            await EditToVisibleAsync(dataSource, http, plannerKey);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// The centre of the buildings (else of all data), with a grid there for the edit test.
    private static async Task<(double Lon, double Lat)> EnsureGridAtCentreAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Centroid(COALESCE((SELECT ST_Extent(geom) FROM buildings),
                (SELECT ST_Extent(geom) FROM roads))::geometry) AS c) x
            """);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (lon, lat) = (reader.GetDouble(0), reader.GetDouble(1));
        await using var grid = dataSource.CreateCommand(string.Create(CultureInfo.InvariantCulture, $"""
            INSERT INTO grids (name, code, geom)
            SELECT 'bench grid', 'BENCH', ST_Multi(ST_MakeEnvelope({lon} - 0.002, {lat} - 0.002, {lon} + 0.002, {lat} + 0.002, 4326))
            WHERE NOT EXISTS (SELECT 1 FROM grids)
            """));
        await grid.ExecuteNonQueryAsync();
        return (lon, lat);
    }

    private static WebApplication BuildServer(string connectionString, int port)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.WebHost.ConfigureKestrel(options => options.AddServerHeader = false);
        builder.Configuration[DatabaseLocation.ConnectionKey] = connectionString;
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddGridMap();
        var app = builder.Build();
        app.MapGridMap();
        return app;
    }

    /// (a) The first request of each tile (cache miss) against the bare SQL of the same tile.
    private static async Task ColdAsync(string name, NpgsqlDataSource dataSource, HttpClient http, TileCache cache, double lon, double lat)
    {
        var store = new TileStore(dataSource);
        var key = string.Join(',', TileLayers.All.Select(l => l.Id));
        var tiles = new List<TileId>();
        foreach (var z in new[] { 12, 13, 14, 15, 16 })
            tiles.AddRange(TileMath.Range(z, lon - 0.02, lat - 0.01, lon + 0.02, lat + 0.01, 0).Tiles().Take(12));
        foreach (var tile in tiles)
            await store.ReadAsync(TileLayers.All, tile, default); // warm PostgreSQL's buffers for both
        double sqlMs = 0, httpMs = 0;
        long bytes = 0;
        for (var round = 0; round < 3; round++)
        {
            foreach (var tile in tiles)
            {
                var clock = Stopwatch.StartNew();
                var direct = await store.ReadAsync(TileLayers.All, tile, default);
                sqlMs += clock.Elapsed.TotalMilliseconds;
                bytes += direct.Length;
                await cache.EvictAsync("* *", default); // every request a miss
                clock.Restart();
                using var response = await http.GetAsync($"/tiles/{key}/{tile}.mvt");
                var body = await response.Content.ReadAsByteArrayAsync();
                httpMs += clock.Elapsed.TotalMilliseconds;
                if (body.Length != direct.Length)
                    throw new InvalidOperationException($"tile {tile}: HTTP gave {body.Length} bytes, SQL {direct.Length}");
            }
        }
        var n = tiles.Count * 3;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cold tiles: {n} requests of all layers at z12-16, mean {bytes / n} bytes; raw ST_AsMVT {sqlMs / n:F2} ms, GridMap HTTP {httpMs / n:F2} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio tile-cold: {sqlMs / httpMs:F2} (raw ST_AsMVT query time ÷ GridMap cold tile time, {name}; goal ≥ 0.77, i.e. ≤ 1.3× slower)"));
    }

    /// (b) One cached tile under wrk, against nginx serving the same bytes as a static file.
    private static async Task CachedAsync(string name, HttpClient http, int seconds, double lon, double lat)
    {
        var tile = TileMath.Range(15, lon, lat, lon, lat, 0).Tiles().First();
        var path = $"/tiles/{string.Join(',', TileLayers.All.Select(l => l.Id))}/{tile}.mvt";
        var bytes = await http.GetByteArrayAsync(path);
        var root = Path.Combine("/tmp", "gridmap-bench-nginx-" + Environment.ProcessId);
        var file = Path.Combine(root, "www", path.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllBytesAsync(file, bytes);
        Directory.CreateDirectory(Path.Combine(root, "logs"));
        var nginxPort = FreePort();
        var config = Path.Combine(root, "nginx.conf");
        await File.WriteAllTextAsync(config, $$"""
            worker_processes 2;
            daemon off;
            pid {{root}}/nginx.pid;
            error_log {{root}}/logs/error.log;
            events { worker_connections 1024; }
            http {
                access_log off;
                sendfile on;
                tcp_nopush on;
                keepalive_requests 1000000;
                types { application/vnd.mapbox-vector-tile mvt; }
                server {
                    listen 127.0.0.1:{{nginxPort}};
                    root {{root}}/www;
                    add_header Cache-Control "public, no-cache";
                }
            }
            """);
        if (!OperatingSystem.IsWindows())
            MakeReadable(root);
        using var nginx = Process.Start(new ProcessStartInfo("nginx", ["-c", config, "-p", root]) { RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("nginx did not start");
        try
        {
            await Task.Delay(500);
            var ours = await WrkAsync($"{http.BaseAddress!.ToString().TrimEnd('/')}{path}", seconds);
            var theirs = await WrkAsync($"http://127.0.0.1:{nginxPort}{path}", seconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cached tile ({bytes.Length} bytes, wrk -t2 -c64 -d{seconds}s): GridMap {ours.Rps:F0} req/s p99 {ours.P99Ms:F2} ms; nginx static {theirs.Rps:F0} req/s p99 {theirs.P99Ms:F2} ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ratio tile-cached: {ours.Rps / theirs.Rps:F2} (GridMap cached tile throughput ÷ nginx static file throughput, {name}; goal ≥ 0.5)"));
        }
        finally
        {
            nginx.Kill(entireProcessTree: true);
            await nginx.WaitForExitAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    /// (c) Change a grid's name, then ask for its (cached) tile until the new name is in it.
    private static async Task EditToVisibleAsync(NpgsqlDataSource dataSource, HttpClient http, string plannerKey)
    {
        await using var find = dataSource.CreateCommand("SELECT id, version, ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) FROM grids ORDER BY id LIMIT 1");
        long id;
        int version;
        double lon, lat;
        await using (var reader = await find.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            (id, version, lon, lat) = (reader.GetInt64(0), reader.GetInt32(1), reader.GetDouble(2), reader.GetDouble(3));
        }
        var tile = TileMath.Range(16, lon, lat, lon, lat, 0).Tiles().First();
        var path = $"/tiles/grids/{tile}.mvt";
        var apiTimes = new List<double>();
        var sqlTimes = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            (await http.GetAsync(path)).Dispose(); // cached
            var name = $"bench-api-{i}";
            var clock = Stopwatch.StartNew();
            using (var patch = new HttpRequestMessage(HttpMethod.Patch, $"/collections/grids/items/{id}"))
            {
                patch.Headers.Add("X-Api-Key", plannerKey);
                patch.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
                patch.Content = System.Net.Http.Json.JsonContent.Create(new { properties = new { name } },
                    mediaType: new System.Net.Http.Headers.MediaTypeHeaderValue("application/merge-patch+json"));
                using var response = await http.SendAsync(patch);
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"PATCH failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                version = int.Parse(response.Headers.ETag!.Tag.Trim('"'), CultureInfo.InvariantCulture);
            }
            await WaitForAsync(http, path, name);
            apiTimes.Add(clock.Elapsed.TotalMilliseconds);

            (await http.GetAsync(path)).Dispose();
            name = $"bench-sql-{i}";
            clock.Restart();
            await using (var update = dataSource.CreateCommand($"UPDATE grids SET name = '{name}' WHERE id = {id} RETURNING version"))
                version = (int)(await update.ExecuteScalarAsync())!;
            await WaitForAsync(http, path, name);
            sqlTimes.Add(clock.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"edit-to-visible: API PATCH then tile median {Median(apiTimes):F1} ms (max {apiTimes.Max():F1}); direct SQL write (import, psql) then tile median {Median(sqlTimes):F1} ms (max {sqlTimes.Max():F1})"));
    }

    private static async Task WaitForAsync(HttpClient http, string path, string text)
    {
        var needle = System.Text.Encoding.UTF8.GetBytes(text);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            var body = await http.GetByteArrayAsync(path);
            if (body.AsSpan().IndexOf(needle) >= 0)
                return;
            await Task.Delay(1);
        }
        throw new TimeoutException($"{path} did not show '{text}' within 10 s");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static async Task<(double Rps, double P99Ms)> WrkAsync(string url, int seconds)
    {
        var start = new ProcessStartInfo("wrk", ["-t2", "-c64", $"-d{seconds}s", "--latency", url])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start (apt-get install wrk)");
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        var rps = RequestsPerSecond().Match(output);
        var p99 = Percentile99().Match(output);
        if (!rps.Success || !p99.Success || output.Contains("Non-2xx", StringComparison.Ordinal))
            throw new InvalidOperationException($"wrk on {url} failed:\n{output}");
        var latency = double.Parse(p99.Groups[1].Value, CultureInfo.InvariantCulture) * p99.Groups[2].Value switch
        {
            "us" => 0.001,
            "ms" => 1,
            _ => 1000,
        };
        return (double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture), latency);
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"99%\s+([\d.]+)(us|ms|s)")]
    private static partial Regex Percentile99();

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void MakeReadable(string root)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Append(root))
            File.SetUnixFileMode(entry, File.GetUnixFileMode(entry) | UnixFileMode.OtherRead | UnixFileMode.GroupRead
                | (Directory.Exists(entry) ? UnixFileMode.OtherExecute | UnixFileMode.GroupExecute : 0));
        File.SetUnixFileMode(root, File.GetUnixFileMode(root) | UnixFileMode.OtherWrite);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// A fresh database of this name on the server of GRIDMAP_DB or the private cluster.
    private static async Task<string> ScratchDatabaseAsync(string name)
    {
        var server = DatabaseLocation.ResolveConnectionString(Environment.GetEnvironmentVariable(DatabaseLocation.ConnectionKey));
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    private static async Task<string> CountsAsync(NpgsqlDataSource dataSource)
    {
        var parts = new List<string>();
        foreach (var layer in TileLayers.All)
        {
            await using var count = dataSource.CreateCommand($"SELECT count(*) FROM {layer.Table}");
            parts.Add($"{(long)(await count.ExecuteScalarAsync())!} {layer.Id}");
        }
        return string.Join(", ", parts);
    }

    /// About 7 × 7 km: 2 streets, 8 communities, 100 grids, 400 compounds of 16 buildings, a road lattice
    /// every 100 m, a river, 40 stations and 10,000 cameras (camera layers must stay fast at district size).
    private static async Task FillSyntheticCityAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO streets (id, code, name, geom)
            SELECT i, 'S' || i, '街道' || i, ST_Multi(ST_MakeEnvelope(116.28 + (i - 1) * 0.04, 39.95, 116.32 + (i - 1) * 0.04, 40.01, 4326))
            FROM generate_series(1, 2) i;
            INSERT INTO communities (id, code, name, street_id, geom)
            SELECT i * 2 + j + 1, 'C' || i || j, '社区' || i || '-' || j, i / 2 + 1,
                   ST_Multi(ST_MakeEnvelope(116.28 + i * 0.02, 39.95 + j * 0.03, 116.30 + i * 0.02, 39.98 + j * 0.03, 4326))
            FROM generate_series(0, 3) i, generate_series(0, 1) j;
            INSERT INTO compounds (id, name, community_id, households, households_estimated, kind, geom)
            SELECT i * 20 + j + 1, '小区' || i || '-' || j, (i / 5) * 2 + (j / 10) + 1, 0, true, 'commodity',
                   ST_Multi(ST_MakeEnvelope(116.2805 + i * 0.004, 39.9505 + j * 0.003, 116.2835 + i * 0.004, 39.9525 + j * 0.003, 4326))
            FROM generate_series(0, 19) i, generate_series(0, 19) j;
            INSERT INTO buildings (compound_id, levels, households, households_estimated, geom)
            SELECT c.id, 6 + (c.id + k) % 12, 20 + (c.id * 7 + k) % 60, false,
                   ST_Multi(ST_MakeEnvelope(ST_XMin(c.geom) + 0.0002 + (k % 4) * 0.0007, ST_YMin(c.geom) + 0.0002 + (k / 4) * 0.00045,
                                            ST_XMin(c.geom) + 0.0007 + (k % 4) * 0.0007, ST_YMin(c.geom) + 0.0005 + (k / 4) * 0.00045, 4326))
            FROM compounds c, generate_series(0, 15) k;
            UPDATE compounds c SET households = (SELECT sum(households) FROM buildings b WHERE b.compound_id = c.id);
            INSERT INTO grids (code, name, community_id, level, grid_head, geom)
            SELECT 'G' || i || '-' || j, '网格' || i || '-' || j, (i * 2 / 5) * 2 + (j / 5) + 1, 'community', '网格长' || i,
                   ST_Multi(ST_MakeEnvelope(116.28 + i * 0.008, 39.95 + j * 0.006, 116.288 + i * 0.008, 39.956 + j * 0.006, 4326))
            FROM generate_series(0, 9) i, generate_series(0, 9) j;
            INSERT INTO roads (name, highway, geom)
            SELECT '路' || i, CASE WHEN i % 10 = 0 THEN 'primary' WHEN i % 5 = 0 THEN 'secondary' ELSE 'residential' END,
                   ST_MakeLine(ST_MakePoint(116.28 + i * 0.00118, 39.95 + k * 0.0009), ST_MakePoint(116.28 + i * 0.00118, 39.95 + (k + 1) * 0.0009))
            FROM generate_series(0, 68) i, generate_series(0, 66) k;
            INSERT INTO roads (name, highway, geom)
            SELECT '街' || k, CASE WHEN k % 10 = 0 THEN 'primary' ELSE 'residential' END,
                   ST_MakeLine(ST_MakePoint(116.28 + i * 0.00118, 39.95 + k * 0.0009), ST_MakePoint(116.28 + (i + 1) * 0.00118, 39.95 + k * 0.0009))
            FROM generate_series(0, 67) i, generate_series(0, 67) k;
            INSERT INTO water (name, kind, geom)
            VALUES ('河', 'river', ST_Multi(ST_Buffer(ST_MakeLine(ST_MakePoint(116.27, 39.99), ST_MakePoint(116.37, 39.995)), 0.0008)));
            INSERT INTO stations (name, kind, floor_area_m2, geom)
            SELECT '服务站' || i, CASE WHEN i % 8 = 0 THEN 'center' ELSE 'station' END, 300 + i, ST_SetSRID(ST_MakePoint(116.281 + (i % 8) * 0.01, 39.951 + (i / 8) * 0.012), 4326)
            FROM generate_series(0, 39) i;
            INSERT INTO cameras (name, status, geom)
            SELECT '摄像头' || i, CASE WHEN i % 20 = 0 THEN 'offline' ELSE 'online' END,
                   ST_SetSRID(ST_MakePoint(116.28 + random() * 0.08, 39.95 + random() * 0.06), 4326)
            FROM generate_series(1, 10000) i;
            ANALYZE;
            """);
        await command.ExecuteNonQueryAsync();
    }
}
