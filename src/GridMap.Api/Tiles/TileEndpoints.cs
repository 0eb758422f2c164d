using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GridMap.Api.Errors;
using Microsoft.AspNetCore.OutputCaching;

using GridMap.Data.Tiles;

namespace GridMap.Api.Tiles;

/// Vector tiles, TileJSON and the default MapLibre style.
public static class TileEndpoints
{
    public const string ContentType = "application/vnd.mapbox-vector-tile";

    /// Clients may keep tiles but must ask again (a cheap 304) so an edit shows on the next request.
    public const string CacheControl = "public, no-cache";

    public static bool Matches(string ifNoneMatch, string etag) => ifNoneMatch.Split(',').Any(tag => tag.Trim() == etag);

    public static void MapTiles(this WebApplication app)
    {
        app.MapGet("/tiles/{layers}/{z}/{x}/{file}", GetTile).CacheOutput(TileCache.PolicyName)
            .WithSummary("A Mapbox Vector Tile of one layer or several joined by commas (…/{z}/{x}/{y}.mvt).");
        app.MapGet("/tiles/{file}", GetTileJson).WithSummary("TileJSON 3.0.0 of a layer or layers ({layers}.json).");
        app.MapGet("/styles/default.json", GetStyle).WithSummary("MapLibre style drawing the whole map from our tiles.");
    }

    private static async Task<IResult> GetTile(string layers, string z, string x, string file, HttpContext context,
        TileStore store, TileSettings settings, HotTiles hot, CancellationToken ct)
    {
        var request = TileRequest.TryParse(layers, z, x, file, out var problem);
        if (request is null)
            return problem!;
        var generation = hot.Generation;
        var seeded = settings.MbTiles;
        var bytes = seeded is not null && seeded.Name == request.LayersKey
            ? (request.Tile.Z >= seeded.MinZoom && request.Tile.Z <= seeded.MaxZoom ? await seeded.ReadAsync(request.Tile, ct) : [])
            : await store.ReadAsync(request.Layers, request.Tile, ct);
        var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 12))}\"";
        var headers = context.Response.Headers;
        headers.ETag = etag;
        headers.CacheControl = CacheControl;
        if (hot.Enabled && context.Request.Path.Value is { } path)
            hot.Add(path, new HotTiles.Entry(bytes, etag, bytes.Length == 0 ? StatusCodes.Status204NoContent : StatusCodes.Status200OK,
                DateTimeOffset.UtcNow), TileCache.Tags(request), generation);
        if (Matches(context.Request.Headers.IfNoneMatch.ToString(), etag))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return bytes.Length == 0 ? TypedResults.NoContent() : TypedResults.Bytes(bytes, ContentType);
    }

    private static async Task<IResult> GetTileJson(string file, HttpRequest request, TileStore store, CancellationToken ct)
    {
        if (!file.EndsWith(".json", StringComparison.Ordinal))
            return Problems.Field("format", $"TileJSON is served as {{layers}}.json, not '{file}'.", StatusCodes.Status404NotFound);
        if (!TileRequest.TryParseLayers(file[..^5], out var layers, out var problem))
            return problem!;
        var bounds = await store.ReadBoundsAsync(layers, ct) ?? [-180, -85.0511, 180, 85.0511];
        var key = string.Join(',', layers.Select(l => l.Id));
        var minZoom = layers.Min(l => l.MinZoom);
        var vectorLayers = new JsonArray();
        foreach (var layer in layers)
        {
            var fields = new JsonObject { ["id"] = "Number" };
            foreach (var field in layer.Fields)
                fields[field.Name] = field.Type;
            if (layer.ClusterBelowZoom > 0)
                fields["point_count"] = "Number";
            vectorLayers.Add(new JsonObject
            {
                ["id"] = layer.Id,
                ["description"] = layer.Description,
                ["minzoom"] = layer.MinZoom,
                ["maxzoom"] = layer.MaxZoom,
                ["fields"] = fields,
            });
        }
        var json = new JsonObject
        {
            ["tilejson"] = "3.0.0",
            ["name"] = key,
            ["scheme"] = "xyz",
            ["tiles"] = new JsonArray($"{BaseUrl(request)}/tiles/{key}/{{z}}/{{x}}/{{y}}.mvt"),
            ["minzoom"] = minZoom,
            ["maxzoom"] = TileLayers.MaxZoom,
            ["bounds"] = new JsonArray(bounds.Select(b => (JsonNode)Math.Round(b, 6)).ToArray()),
            ["center"] = new JsonArray(Math.Round((bounds[0] + bounds[2]) / 2, 6), Math.Round((bounds[1] + bounds[3]) / 2, 6), Math.Max(minZoom, 13)),
            ["vector_layers"] = vectorLayers,
            ["attribution"] = "GridMap; base map © OpenStreetMap contributors where imported",
        };
        return TypedResults.Text(json.ToJsonString(), "application/json");
    }

    private static async Task<IResult> GetStyle(HttpRequest request, TileStore store, CancellationToken ct)
    {
        var bounds = await store.ReadBoundsAsync(TileLayers.All, ct);
        var style = TileStyle.Default(BaseUrl(request), bounds);
        return TypedResults.Text(style.ToJsonString(), "application/json");
    }

    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";
}

/// Where tiles come from besides PostGIS: a seeded MBTiles file (GRIDMAP_MBTILES), opened at start.
public sealed class TileSettings(MbTilesReader? mbTiles)
{
    public MbTilesReader? MbTiles => mbTiles;
}

public static class TileSetup
{
    /// Configuration key (and environment variable): Redis for the output cache of several instances,
    /// e.g. "127.0.0.1:6379". Unset = in-memory cache of this instance.
    public const string RedisKey = "GRIDMAP_REDIS";

    public static void AddGridMapTiles(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var redis = builder.Configuration[RedisKey];
        services.AddSingleton(new HotTiles(enabled: string.IsNullOrWhiteSpace(redis)));
        if (!string.IsNullOrWhiteSpace(redis))
            services.AddStackExchangeRedisOutputCache(options =>
            {
                options.Configuration = redis;
                options.InstanceName = "gridmap:";
            });
        services.AddOutputCache(options =>
        {
            options.AddPolicy(TileCache.PolicyName, new TileCache.Policy());
            options.SizeLimit = 512L * 1024 * 1024;
        });
        services.AddSingleton<TileStore>();
        services.AddSingleton<TileCache>();
        services.AddSingleton<TileInvalidation>();
        services.AddHostedService(provider => provider.GetRequiredService<TileInvalidation>());
        services.AddSingleton(provider =>
        {
            var path = provider.GetRequiredService<IConfiguration>()[MbTiles.ConfigKey];
            return new TileSettings(string.IsNullOrWhiteSpace(path) ? null : MbTilesReader.Open(path));
        });
    }

    /// First in the pipeline: cached tiles are answered before error handling and authentication run.
    /// After a successful write, the response waits until the tiles it touched are evicted.
    public static void UseGridMapTiles(this WebApplication app)
    {
        var hot = app.Services.GetRequiredService<HotTiles>();
        app.Use((context, next) => hot.TryServe(context, out var served) ? served : next(context));
        app.UseOutputCache();
        app.Use((context, next) =>
        {
            var method = context.Request.Method;
            if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !HttpMethods.IsOptions(method))
            {
                context.Response.OnStarting(async () =>
                {
                    if (context.Response.StatusCode < 400)
                        await context.RequestServices.GetRequiredService<TileInvalidation>().SyncAsync(context.RequestAborted);
                });
            }
            return next(context);
        });
    }
}
