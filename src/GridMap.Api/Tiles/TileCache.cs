using System.Globalization;
using Microsoft.AspNetCore.OutputCaching;

using GridMap.Data.Tiles;

namespace GridMap.Api.Tiles;

/// Output caching of tiles. Each cached tile is tagged, per layer in it, with its own address, its 64×64
/// block, its zoom and its layer. A change evicts, at every zoom, the tiles its boxes touch (the tile's
/// drawing buffer included): tile by tile while that is at most <see cref="MaxTagsPerZoom"/> tiles, else the
/// 64×64 blocks, else that zoom of the layer. Small edits (a grid, a building) evict exactly their tiles
/// up to about z20; a street-sized edit evicts whole blocks only at the deepest zooms.
public sealed class TileCache(IOutputCacheStore store, HotTiles hot, ILogger<TileCache> logger)
{
    public const string PolicyName = "tiles";
    public const int MaxTagsPerZoom = 256;
    private const int BlockShift = 6;
    private const string AllTag = "tiles";

    public static IEnumerable<string> Tags(TileRequest request)
    {
        yield return AllTag;
        var t = request.Tile;
        foreach (var layer in request.Layers)
        {
            yield return LayerTag(layer.Id);
            yield return $"t:{layer.Id}:{t.Z}";
            yield return $"t:{layer.Id}:{t.Z}:b:{t.X >> BlockShift}/{t.Y >> BlockShift}";
            yield return $"t:{layer.Id}:{t.Z}/{t.X}/{t.Y}";
        }
    }

    /// The tags to evict for a change of <paramref name="layer"/> inside one WGS 84 box.
    public static IEnumerable<string> EvictionTags(string layer, double minLon, double minLat, double maxLon, double maxLat)
    {
        const double bufferFraction = (double)TileStore.Buffer / TileStore.Extent;
        for (var z = 0; z <= TileLayers.MaxZoom; z++)
        {
            var range = TileMath.Range(z, minLon, minLat, maxLon, maxLat, bufferFraction);
            if (range.Count <= MaxTagsPerZoom)
            {
                foreach (var tile in range.Tiles())
                    yield return $"t:{layer}:{z}/{tile.X}/{tile.Y}";
                continue;
            }
            var blocks = new TileRange(z, range.MinX >> BlockShift, range.MinY >> BlockShift, range.MaxX >> BlockShift, range.MaxY >> BlockShift);
            if (blocks.Count <= MaxTagsPerZoom)
            {
                foreach (var block in blocks.Tiles())
                    yield return $"t:{layer}:{z}:b:{block.X}/{block.Y}";
                continue;
            }
            yield return $"t:{layer}:{z}";
        }
    }

    public static string LayerTag(string layer) => $"t:{layer}";

    /// Handles one notification of channel gridmap_tiles (see Schema/004_tiles.sql).
    public async Task EvictAsync(string payload, CancellationToken ct)
    {
        var parts = payload.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
            return;
        var layer = parts[0];
        if (parts[1] == "*")
        {
            var tag = layer == "*" ? AllTag : LayerTag(layer);
            hot.Evict([tag]);
            await store.EvictByTagAsync(tag, ct);
            return;
        }
        var tags = new HashSet<string>();
        for (var i = 1; i + 3 < parts.Length; i += 4)
        {
            var box = parts.Skip(i).Take(4).Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            tags.UnionWith(EvictionTags(layer, box[0], box[1], box[2], box[3]));
        }
        hot.Evict(tags);
        foreach (var tag in tags)
            await store.EvictByTagAsync(tag, ct);
        logger.LogDebug("Evicted {Count} tile tags of {Layer}", tags.Count, layer);
    }

    /// The output cache policy of tile endpoints: cache 200 and 204 (empty) tiles whoever asks (tiles carry
    /// no personal data), tagged as above; an invalid address is not cached.
    public sealed class Policy : IOutputCachePolicy
    {
        public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            var values = context.HttpContext.Request.RouteValues;
            var request = TileRequest.TryParse(values["layers"] as string ?? "", values["z"] as string ?? "",
                values["x"] as string ?? "", values["file"] as string ?? "", out _);
            if (request is null || !HttpMethods.IsGet(context.HttpContext.Request.Method))
                return ValueTask.CompletedTask;
            context.EnableOutputCaching = true;
            context.AllowCacheLookup = true;
            context.AllowCacheStorage = true;
            context.AllowLocking = true;
            context.CacheVaryByRules.VaryByHost = false;
            context.ResponseExpirationTimeSpan = TimeSpan.FromDays(1);
            context.HttpContext.Items[typeof(TileRequest)] = request;
            return ValueTask.CompletedTask;
        }

        public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

        public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            var status = context.HttpContext.Response.StatusCode;
            context.AllowCacheStorage = status is StatusCodes.Status200OK or StatusCodes.Status204NoContent;
            // Tags are made only when a tile is stored, not on every cache hit.
            if (context.AllowCacheStorage && context.HttpContext.Items[typeof(TileRequest)] is TileRequest request)
                foreach (var tag in Tags(request))
                    context.Tags.Add(tag);
            return ValueTask.CompletedTask;
        }
    }
}
