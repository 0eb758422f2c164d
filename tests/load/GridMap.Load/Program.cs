using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GridMap.Load;

// gridmap-load: attacks a running GridMap on 127.0.0.1 and prints what it withstood (README, "Hardening").
// Each run is bounded in requests and time and stops by itself. Exit code 1 when a goal is missed.
var command = args.FirstOrDefault();
var options = ParseOptions(args.Skip(1).ToArray());
var url = options.GetValueOrDefault("url", "http://127.0.0.1:5000");
if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUri) || !IPAddress.IsLoopback(Dns.GetHostAddresses(baseUri.Host)[0]))
{
    Console.Error.WriteLine("gridmap-load only targets a service on this machine (127.0.0.1).");
    return 2;
}
using var client = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
if (options.TryGetValue("key", out var key))
    client.DefaultRequestHeaders.Authorization = new("Bearer", key);

return command switch
{
    "storm" => await StormAsync(),
    "edits" => await EditsAsync(),
    "outage" => await OutageAsync(),
    "load" => await LoadAsync(),
    _ => Usage(),
};

int Usage()
{
    Console.Error.WriteLine("""
        gridmap-load storm  [--url U] [--key PLANNER_KEY] [--requests 10000] [--concurrency 16] [--seed 1]
        gridmap-load edits  [--url U] --key PLANNER_KEY [--clients 50]
        gridmap-load outage [--url U] --key PLANNER_KEY [--seconds 10] [--stop "CMD"] [--start "CMD"]
        gridmap-load load   [--url U] [--seconds 30] [--connections 64]
        """);
    return 2;
}

async Task<int> StormAsync()
{
    var requests = Int("requests", 10_000);
    var before = await Storm.CountFeaturesAsync(client);
    var result = await Storm.RunAsync(client, requests, Int("concurrency", 16), Int("seed", 1));
    var after = await Storm.CountFeaturesAsync(client);
    var alive = (await client.GetAsync("/health/ready")).IsSuccessStatusCode;
    Console.WriteLine($"storm: {requests} hostile requests: {result.Summary()}");
    foreach (var (kind, n) in result.ServerErrorsByKind)
        Console.WriteLine($"  5xx from {kind}: {n}");
    foreach (var example in result.Examples)
        Console.WriteLine($"  {example}");
    var changed = before.Where(b => after.GetValueOrDefault(b.Key) != b.Value).Select(b => $"{b.Key} {b.Value}->{after.GetValueOrDefault(b.Key)}").ToList();
    Console.WriteLine($"service alive afterwards: {alive}; collections changed: {(changed.Count == 0 ? "none" : string.Join(", ", changed))}");
    return result.ServerErrors == 0 && result.Dropped == 0 && result.AcceptedWrites == 0 && alive && changed.Count == 0 ? 0 : 1;
}

async Task<int> EditsAsync()
{
    var clients = Int("clients", 50);
    var gridUrl = await CreateGridAsync("并发测试网格");
    var result = await ConcurrentEdits.RunAsync(() => NewClient(), gridUrl, clients);
    Console.WriteLine($"edits: {clients} clients on one grid: first round {result.FirstRoundWinners} winner(s), {result.FirstRoundRefused} refused with 412; "
        + $"retries until applied: mean {result.MeanAttempts:F1}, max {result.MaxAttempts}; lost updates: {result.LostUpdates}; "
        + $"version went {result.VersionBefore} -> {result.VersionAfter} ({result.VersionAfter - result.VersionBefore} writes); {result.Elapsed.TotalSeconds:F1} s");
    await client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, gridUrl) { Headers = { { "If-Match", "*" } } });
    return result.FirstRoundWinners == 1 && result.LostUpdates == 0 && result.VersionAfter - result.VersionBefore == clients ? 0 : 1;
}

async Task<int> OutageAsync()
{
    var seconds = Int("seconds", 10);
    var cli = "dotnet src/GridMap.Cli/bin/Release/net10.0/gridmap.dll"; // built by ./run.sh
    var stop = options.GetValueOrDefault("stop", $"{cli} db stop");
    var start = options.GetValueOrDefault("start", $"{cli} db start");
    var gridUrl = await CreateGridAsync("停库测试网格");
    var outage = await Outage.RunAsync(NewClient, gridUrl, TimeSpan.FromSeconds(seconds), () => Shell(stop), () => Shell(start));
    Console.WriteLine(outage.Summary());
    await client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, gridUrl) { Headers = { { "If-Match", "*" } } });
    return outage.Passed ? 0 : 1;
}

async Task<int> LoadAsync()
{
    var seconds = Int("seconds", 30);
    var connections = Int("connections", 64);
    var centre = await DemoCentreAsync();
    var (x, y) = TileOf(centre.Lon, centre.Lat, 15);
    string[] endpoints =
    [
        $"/tiles/grids/15/{x}/{y}.mvt",
        "/collections/buildings/items?limit=100",
        FormattableString.Invariant($"/nearest?lon={centre.Lon:F6}&lat={centre.Lat:F6}&k=3"),
        "/coverage",
    ];
    var failed = false;
    Console.WriteLine($"load: wrk -t2 -c{connections} -d{seconds}s per endpoint against {baseUri}");
    Console.WriteLine("endpoint | requests/s | p50 ms | p99 ms | errors");
    foreach (var endpoint in endpoints)
    {
        var warm = await client.GetAsync(endpoint);
        var output = Run("wrk", $"-t2 -c{connections} -d{seconds}s --latency --timeout 10s {new Uri(baseUri, endpoint)}");
        var rps = Match(output, @"Requests/sec:\s+([\d.]+)");
        var p50 = Milliseconds(output, "50%");
        var p99 = Milliseconds(output, "99%");
        var errors = (int)Match(output, @"Non-2xx or 3xx responses:\s+(\d+)") + (int)Match(output, @"Socket errors:.*?timeout (\d+)");
        failed |= errors > 0 || !warm.IsSuccessStatusCode;
        Console.WriteLine($"{endpoint} | {rps:F0} | {p50:F1} | {p99:F1} | {errors}{(warm.IsSuccessStatusCode ? "" : $" (warm-up answered {(int)warm.StatusCode})")}");
    }
    Console.WriteLine($"service memory (VmRSS of the process on port {baseUri.Port}): {ServiceMemoryMb(baseUri.Port)} MB");
    return failed ? 1 : 0;
}

HttpClient NewClient()
{
    var c = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
    c.DefaultRequestHeaders.Authorization = client.DefaultRequestHeaders.Authorization;
    return c;
}

async Task<string> CreateGridAsync(string name)
{
    var body = $$$"""{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[100.001,10.001],[100.002,10.001],[100.002,10.002],[100.001,10.002],[100.001,10.001]]]},"properties":{"name":"{{{name}}}"}}""";
    var response = await client.PostAsync("/collections/grids/items", new StringContent(body, System.Text.Encoding.UTF8, "application/geo+json"));
    if (response.StatusCode != HttpStatusCode.Created)
        throw new InvalidOperationException($"could not create a test grid ({(int)response.StatusCode}); pass a planner key with --key");
    return response.Headers.Location!.ToString();
}

async Task<(double Lon, double Lat)> DemoCentreAsync()
{
    var page = JsonNode.Parse(await client.GetStringAsync("/collections/stations/items?limit=1"))!;
    var coordinates = page["features"]?[0]?["geometry"]?["coordinates"];
    return coordinates is null ? (117.88, 31.60) : ((double)coordinates[0]!, (double)coordinates[1]!);
}

static (int X, int Y) TileOf(double lon, double lat, int z)
{
    var n = 1 << z;
    var x = (int)((lon + 180) / 360 * n);
    var latRad = lat * Math.PI / 180;
    var y = (int)((1 - Math.Log(Math.Tan(latRad) + 1 / Math.Cos(latRad)) / Math.PI) / 2 * n);
    return (x, y);
}

static double Match(string text, string pattern)
{
    var match = Regex.Match(text, pattern);
    return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
}

static double Milliseconds(string wrkOutput, string percentile)
{
    var match = Regex.Match(wrkOutput, $@"\s{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)");
    if (!match.Success)
        return double.NaN;
    var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
}

static string ServiceMemoryMb(int port)
{
    var listing = Run("ss", $"-ltnpH sport = :{port}");
    var pid = Regex.Match(listing, @"pid=(\d+)");
    if (!pid.Success)
        return "unknown";
    var status = File.ReadAllText($"/proc/{pid.Groups[1].Value}/status");
    var rss = Regex.Match(status, @"VmRSS:\s+(\d+) kB");
    return rss.Success ? (long.Parse(rss.Groups[1].Value, CultureInfo.InvariantCulture) / 1024).ToString(CultureInfo.InvariantCulture) : "unknown";
}

static string Run(string program, string arguments)
{
    using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
    var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
    process.WaitForExit();
    return output;
}

static Task Shell(string commandLine)
{
    var output = Run("/bin/sh", $"-c \"{commandLine.Replace("\"", "\\\"")}\"");
    Console.Error.WriteLine($"$ {commandLine}\n{output.Trim()}");
    return Task.CompletedTask;
}

int Int(string name, int fallback) =>
    options.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

static Dictionary<string, string> ParseOptions(string[] args)
{
    var parsed = new Dictionary<string, string>();
    for (var i = 0; i + 1 < args.Length; i += 2)
        parsed[args[i].TrimStart('-')] = args[i + 1];
    return parsed;
}
