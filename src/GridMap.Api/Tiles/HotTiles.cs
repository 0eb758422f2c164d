using System.Collections.Concurrent;
using System.Globalization;

namespace GridMap.Api.Tiles;

/// The in-process fast path in front of output caching: finished tiles as ready bytes, answered before any
/// other middleware runs. The output cache entry of a big tile is deserialized into fresh buffers on every
/// hit (tiles over 85 KB land on the large object heap), which made a cached tile cost 3× nginx's static
/// file; here a hit copies the stored array once into the response. Evicted by the same tags as the output
/// cache. Only for the in-memory setup: with a shared Redis store every instance reads from Redis.
public sealed class HotTiles(bool enabled)
{
    public const long MaxBytes = 256L * 1024 * 1024;

    public sealed record Entry(byte[] Body, string ETag, int Status, DateTimeOffset Stored);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _keysByTag = new(StringComparer.Ordinal);
    private long _bytes;
    private long _generation;

    public bool Enabled => enabled;

    /// Read before making a tile; <see cref="Add"/> drops the tile if an eviction came in between.
    public long Generation => Interlocked.Read(ref _generation);

    public void Add(string key, Entry entry, IEnumerable<string> tags, long generation)
    {
        if (!enabled || Interlocked.Read(ref _bytes) + entry.Body.Length > MaxBytes)
            return;
        if (_entries.TryAdd(key, entry))
            Interlocked.Add(ref _bytes, entry.Body.Length);
        foreach (var tag in tags)
            _keysByTag.GetOrAdd(tag, _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal)).TryAdd(key, 0);
        if (Generation != generation)
            Remove(key);
    }

    public void Evict(IEnumerable<string> tags)
    {
        if (!enabled)
            return;
        Interlocked.Increment(ref _generation);
        foreach (var tag in tags)
        {
            if (!_keysByTag.TryRemove(tag, out var keys))
                continue;
            foreach (var key in keys.Keys)
                Remove(key);
        }
    }

    private void Remove(string key)
    {
        if (_entries.TryRemove(key, out var removed))
            Interlocked.Add(ref _bytes, -removed.Body.Length);
    }

    /// Answers a GET of a tile held here; false when it is not (the request goes on down the pipeline).
    public bool TryServe(HttpContext context, out Task task)
    {
        task = Task.CompletedTask;
        var request = context.Request;
        if (!enabled || !HttpMethods.IsGet(request.Method) || request.Path.Value is not { } path
            || !_entries.TryGetValue(path, out var entry))
            return false;
        var response = context.Response;
        response.Headers.ETag = entry.ETag;
        response.Headers.CacheControl = TileEndpoints.CacheControl;
        response.Headers.Age = ((long)(DateTimeOffset.UtcNow - entry.Stored).TotalSeconds).ToString(CultureInfo.InvariantCulture);
        if (request.Headers.IfNoneMatch.Count > 0 && TileEndpoints.Matches(request.Headers.IfNoneMatch.ToString(), entry.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return true;
        }
        response.StatusCode = entry.Status;
        if (entry.Body.Length == 0)
            return true;
        response.ContentType = TileEndpoints.ContentType;
        response.ContentLength = entry.Body.Length;
        task = response.Body.WriteAsync(entry.Body, 0, entry.Body.Length, context.RequestAborted);
        return true;
    }
}
