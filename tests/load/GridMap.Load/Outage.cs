using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace GridMap.Load;

public sealed record OutageSample(double AtSeconds, string Kind, int Status, double LatencyMs, bool RetryAfter);

public sealed class OutageResult
{
    public required List<OutageSample> Samples { get; init; }
    public double StoppedAt, StartedAt, OutageSeconds;
    public double? RecoverySeconds;
    public bool ReadyWentRed;
    public long VersionBefore, VersionAfter;
    public int SuccessfulWrites;
    /// Writes sent while the database went away that got no 200: a commit whose acknowledgement was lost
    /// lands whole although the client saw 503 (as with any database client); none may land in part.
    public int UnansweredWrites;

    private IEnumerable<OutageSample> During => Samples.Where(s => s.AtSeconds > StoppedAt + 0.5 && s.AtSeconds < StartedAt && s.Kind != "ready");

    public int ServerErrorsOtherThan503 => Samples.Count(s => s.Status >= 500 && s.Status != 503);
    public int Dropped => Samples.Count(s => s.Status == 0);
    public int UnavailableWithoutRetryAfter => Samples.Count(s => s.Status == 503 && !s.RetryAfter && s.Kind != "ready");
    public double SlowestDuringOutageMs => During.Select(s => s.LatencyMs).DefaultIfEmpty(0).Max();
    public bool WritesConsistent => VersionAfter - VersionBefore >= SuccessfulWrites
        && VersionAfter - VersionBefore <= SuccessfulWrites + UnansweredWrites;

    public bool Passed => ServerErrorsOtherThan503 == 0 && Dropped == 0 && UnavailableWithoutRetryAfter == 0 && ReadyWentRed
        && RecoverySeconds is <= 5 && SlowestDuringOutageMs < 10_000 && WritesConsistent;

    public string Summary() =>
        $"outage: database down {OutageSeconds:F1} s under load; {Samples.Count} requests: "
        + string.Join(", ", Samples.GroupBy(s => s.Status).OrderBy(g => g.Key).Select(g => $"{(g.Key == 0 ? "dropped" : g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture))}: {g.Count()}"))
        + $"; other 5xx: {ServerErrorsOtherThan503}; 503 without Retry-After: {UnavailableWithoutRetryAfter}; health/ready went red: {ReadyWentRed}; "
        + $"slowest answer during the outage: {SlowestDuringOutageMs:F0} ms; recovery after the database returned: "
        + (RecoverySeconds is double r ? $"{r:F1} s" : "never") + $"; writes answered 200: {SuccessfulWrites}, unanswered: {UnansweredWrites}, versions added: {VersionAfter - VersionBefore} "
        + (WritesConsistent ? "(every answered write landed, nothing else)" : "(MISMATCH)");
}

/// Steady reads and writes while the database is stopped and started again.
public static class Outage
{
    public static async Task<OutageResult> RunAsync(Func<HttpClient> newClient, string gridUrl, TimeSpan downFor,
        Func<Task> stopDatabase, Func<Task> startDatabase)
    {
        using var reader = newClient();
        using var writer = newClient();
        using var health = newClient();
        reader.Timeout = writer.Timeout = health.Timeout = TimeSpan.FromSeconds(15);
        var samples = new ConcurrentQueue<OutageSample>();
        var clock = Stopwatch.StartNew();
        var (_, firstTag) = await ConcurrentEdits.ReadAsync(writer, gridUrl);
        var successfulWrites = 0;
        var unansweredWrites = 0;
        using var stop = new CancellationTokenSource();

        async Task Loop(string kind, HttpClient client, int pauseMs, Func<Task<HttpResponseMessage>> send)
        {
            while (!stop.IsCancellationRequested)
            {
                var at = clock.Elapsed.TotalSeconds;
                var started = Stopwatch.StartNew();
                try
                {
                    using var response = await send();
                    samples.Enqueue(new(at, kind, (int)response.StatusCode, started.Elapsed.TotalMilliseconds, response.Headers.RetryAfter is not null));
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    samples.Enqueue(new(at, kind, 0, started.Elapsed.TotalMilliseconds, false));
                }
                await Task.Delay(pauseMs);
            }
        }

        var counter = 0;
        async Task<HttpResponseMessage> WriteOnce()
        {
            var read = await writer.GetAsync(gridUrl);
            if (!read.IsSuccessStatusCode)
                return read;
            var (name, tag) = (System.Text.Json.Nodes.JsonNode.Parse(await read.Content.ReadAsStringAsync())!["properties"]!["name"]!.ToString(), read.Headers.ETag!.ToString());
            read.Dispose();
            HttpResponseMessage response;
            try
            {
                response = await ConcurrentEdits.PatchAsync(writer, gridUrl, tag, $"{name.Split('#')[0]}#{Interlocked.Increment(ref counter)}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Interlocked.Increment(ref unansweredWrites);
                throw;
            }
            if (response.StatusCode == HttpStatusCode.OK)
                Interlocked.Increment(ref successfulWrites);
            else if (response.StatusCode != HttpStatusCode.PreconditionFailed)
                Interlocked.Increment(ref unansweredWrites);
            return response;
        }

        var loops = new[]
        {
            Loop("read", reader, 50, () => reader.GetAsync("/collections/grids/items?limit=5")),
            Loop("write", writer, 100, WriteOnce),
            Loop("ready", health, 250, () => health.GetAsync("/health/ready")),
        };
        await Task.Delay(2000);
        var stoppedAt = clock.Elapsed.TotalSeconds;
        await stopDatabase();
        await Task.Delay(downFor);
        await startDatabase();
        var startedAt = clock.Elapsed.TotalSeconds;
        await Task.Delay(8000);
        stop.Cancel();
        await Task.WhenAll(loops);

        var list = samples.OrderBy(s => s.AtSeconds).ToList();
        // Recovery: from the database's return to the first moment after which reads and writes all succeed.
        var lastFailure = list.Where(s => s.Kind != "ready" && s.Status != 200).Select(s => s.AtSeconds).DefaultIfEmpty(startedAt).Max();
        var recovered = list.Any(s => s.Kind == "write" && s.Status == 200 && s.AtSeconds > lastFailure);
        var (_, lastTag) = await ConcurrentEdits.ReadAsync(writer, gridUrl);
        return new OutageResult
        {
            Samples = list,
            StoppedAt = stoppedAt,
            StartedAt = startedAt,
            OutageSeconds = startedAt - stoppedAt,
            RecoverySeconds = recovered ? Math.Max(0, lastFailure - startedAt) : null,
            ReadyWentRed = list.Any(s => s.Kind == "ready" && s.Status == 503 && s.AtSeconds > stoppedAt && s.AtSeconds < startedAt),
            VersionBefore = ConcurrentEdits.Version(firstTag),
            VersionAfter = ConcurrentEdits.Version(lastTag),
            SuccessfulWrites = successfulWrites,
            UnansweredWrites = unansweredWrites,
        };
    }
}
