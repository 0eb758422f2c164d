using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace GridMap.Load;

/// What a storm of hostile requests got back.
public sealed class StormResult
{
    public ConcurrentDictionary<int, int> ByStatus { get; } = new();
    public ConcurrentDictionary<string, int> ServerErrorsByKind { get; } = new();
    public ConcurrentQueue<string> Examples { get; } = new();
    public int Dropped;
    public TimeSpan Elapsed;

    public int ServerErrors => ByStatus.Where(s => s.Key >= 500).Sum(s => s.Value);

    public int AcceptedWrites;

    public string Summary() =>
        string.Join(", ", ByStatus.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))
        + $"; dropped connections: {Dropped}; 5xx: {ServerErrors}; accepted writes: {AcceptedWrites}; {Elapsed.TotalSeconds:F1} s";
}

/// Sends hostile requests concurrently and counts the answers by status.
public static class Storm
{
    public static async Task<StormResult> RunAsync(HttpClient client, int count, int concurrency, int seed, CancellationToken ct = default)
    {
        var result = new StormResult();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(HostileRequests.Generate(count, seed),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct },
            async (request, token) =>
            {
                try
                {
                    using var message = request.ToMessage();
                    using var response = await client.SendAsync(message, token);
                    var status = (int)response.StatusCode;
                    result.ByStatus.AddOrUpdate(status, 1, (_, n) => n + 1);
                    if (status >= 500)
                    {
                        result.ServerErrorsByKind.AddOrUpdate(request.Kind, 1, (_, n) => n + 1);
                        Note(result, $"{status} {request.Method} {request.Path} [{request.Kind}]: {await response.Content.ReadAsStringAsync(token)}");
                    }
                    if (status is >= 200 and < 300 && request.Method != HttpMethod.Get)
                    {
                        Interlocked.Increment(ref result.AcceptedWrites);
                        Note(result, $"accepted {status} {request.Method} {request.Path} [{request.Kind}]");
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    Interlocked.Increment(ref result.Dropped);
                    Note(result, $"dropped {request.Method} {request.Path} [{request.Kind}]: {e.Message}");
                }
            });
        result.Elapsed = clock.Elapsed;
        return result;
    }

    /// numberMatched of every collection: what the storm must leave unchanged.
    public static async Task<Dictionary<string, long>> CountFeaturesAsync(HttpClient client, CancellationToken ct = default)
    {
        var counts = new Dictionary<string, long>();
        foreach (var layer in HostileRequests.Layers)
        {
            using var response = await client.GetAsync($"/collections/{layer}/items?limit=1", ct);
            if (!response.IsSuccessStatusCode)
                continue;
            var page = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
            counts[layer] = (long?)page["numberMatched"] ?? -1;
        }
        return counts;
    }

    private static void Note(StormResult result, string line)
    {
        if (result.Examples.Count < 20)
            result.Examples.Enqueue(line.Length > 300 ? line[..300] : line);
    }
}
