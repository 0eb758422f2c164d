using System.Text.Json;
using GridMap.Data;
using Npgsql;

namespace GridMap.Api.Features;

/// Landing page, conformance, collections, the OpenAPI document and health checks.
public static class LandingEndpoints
{
    public static readonly string[] ConformanceClasses =
    [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/features",
    ];

    public static void MapLanding(this WebApplication app)
    {
        app.MapGet("/", Landing).WithSummary("Landing page: JSON for API clients, the map viewer for browsers.");
        app.MapGet("/conformance", (HttpRequest request) => Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("conformsTo");
            foreach (var c in ConformanceClasses)
                writer.WriteStringValue(c);
            writer.WriteEndArray();
            writer.WriteEndObject();
        })).WithSummary("OGC API conformance classes.");
        app.MapGet("/collections", Collections).WithSummary("The layers.");
        app.MapGet("/collections/{layerId}", Collection).WithSummary("One layer.");
        app.MapGet("/api", (HttpRequest request) => Results.Bytes(OpenApiDocument.Build(FeatureJson.BaseUrl(request)),
            "application/vnd.oai.openapi+json;version=3.0")).WithSummary("OpenAPI 3.0 definition of this API.");
    }

    public static void MapHealth(this WebApplication app)
    {
        app.MapGet("/health/live", () => TypedResults.Ok(new { status = "live" })).WithSummary("The process answers.");
        app.MapGet("/health/ready", async (NpgsqlDataSource dataSource, CancellationToken ct) =>
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(3));
                await using var command = dataSource.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(timeout.Token);
                return Results.Ok(new { status = "ready" });
            }
            catch (Exception e) when (Errors.ErrorHandling.IsDatabaseUnavailable(e) || e is OperationCanceledException)
            {
                return Results.Json(new { status = "database unavailable" }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).WithSummary("The database answers.");
    }

    private static IResult Landing(HttpRequest request, IWebHostEnvironment environment)
    {
        if (!WantsJson(request))
        {
            var index = environment.WebRootFileProvider.GetFileInfo("index.html");
            if (index.Exists)
                return Results.File(index.CreateReadStream(), "text/html; charset=utf-8");
        }
        var baseUrl = FeatureJson.BaseUrl(request);
        return Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("title", "GridMap");
            writer.WriteString("description", "Urban grid management (网格化管理): grids, compounds, buildings, service stations and cameras.");
            FeatureJson.WriteLinks(writer, [
                ($"{baseUrl}/?f=json", "self", "application/json", "This document"),
                ($"{baseUrl}/api", "service-desc", "application/vnd.oai.openapi+json;version=3.0", "OpenAPI definition"),
                ($"{baseUrl}/conformance", "conformance", "application/json", "Conformance classes"),
                ($"{baseUrl}/collections", "data", "application/json", "Collections"),
                ($"{baseUrl}/", "alternate", "text/html", "Map viewer"),
            ]);
            writer.WriteEndObject();
        });
    }

    /// Browsers ask for text/html first and get the viewer; everything else gets JSON.
    private static bool WantsJson(HttpRequest request)
    {
        var format = request.Query["f"].ToString();
        if (format.Length > 0)
            return format != "html";
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0)
            return true;
        var html = accept.Where(a => a.MediaType == "text/html").Select(a => a.Quality ?? 1).DefaultIfEmpty(0).Max();
        var json = accept.Where(a => a.MediaType.Value is "application/json" or "application/geo+json")
            .Select(a => a.Quality ?? 1).DefaultIfEmpty(0).Max();
        return json >= html;
    }

    private static async Task<IResult> Collections(HttpRequest request, FeatureStore store, CancellationToken ct)
    {
        var baseUrl = FeatureJson.BaseUrl(request);
        var extents = new Dictionary<Layer, BoundingBox?>();
        foreach (var layer in Layers.All)
            extents[layer] = await store.ReadExtentAsync(layer, ct);
        return Json(writer =>
        {
            writer.WriteStartObject();
            FeatureJson.WriteLinks(writer, [($"{baseUrl}/collections", "self", "application/json", "Collections")]);
            writer.WriteStartArray("collections");
            foreach (var layer in Layers.All)
                WriteCollection(writer, layer, extents[layer], baseUrl);
            writer.WriteEndArray();
            writer.WriteStartArray("crs");
            foreach (var crs in OutputCrs.Supported)
                writer.WriteStringValue(crs.Uri);
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static async Task<IResult> Collection(string layerId, HttpRequest request, FeatureStore store, CancellationToken ct)
    {
        if (Layers.Find(layerId) is not { } layer)
            return FeatureEndpoints.UnknownLayer(layerId);
        var extent = await store.ReadExtentAsync(layer, ct);
        return Json(writer => WriteCollection(writer, layer, extent, FeatureJson.BaseUrl(request)));
    }

    private static void WriteCollection(Utf8JsonWriter writer, Layer layer, BoundingBox? extent, string baseUrl)
    {
        writer.WriteStartObject();
        writer.WriteString("id", layer.Id);
        writer.WriteString("title", layer.Title);
        writer.WriteString("description", layer.Description);
        writer.WriteString("itemType", "feature");
        if (extent is { } box)
        {
            writer.WriteStartObject("extent");
            writer.WriteStartObject("spatial");
            writer.WriteStartArray("bbox");
            writer.WriteStartArray();
            writer.WriteNumberValue(box.MinLon);
            writer.WriteNumberValue(box.MinLat);
            writer.WriteNumberValue(box.MaxLon);
            writer.WriteNumberValue(box.MaxLat);
            writer.WriteEndArray();
            writer.WriteEndArray();
            writer.WriteString("crs", OutputCrs.Crs84Uri);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteStartArray("crs");
        foreach (var crs in OutputCrs.Supported)
            writer.WriteStringValue(crs.Uri);
        writer.WriteEndArray();
        writer.WriteString("storageCrs", OutputCrs.Crs84Uri);
        FeatureJson.WriteLinks(writer, [
            ($"{baseUrl}/collections/{layer.Id}", "self", "application/json", layer.Title),
            ($"{baseUrl}/collections/{layer.Id}/items", "items", FeatureJson.GeoJson, $"{layer.Title}: features"),
        ]);
        writer.WriteEndObject();
    }

    private static IResult Json(Action<Utf8JsonWriter> write) => Results.Bytes(FeatureJson.Write(write), "application/json");
}
