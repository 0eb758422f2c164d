using System.Globalization;
using GridMap.Api.Auth;
using GridMap.Api.Coverage;
using GridMap.Api.Errors;
using GridMap.Data;
using GridMap.Geo;

using GridMap.Operations.Coverage;

namespace GridMap.Api.Features;

/// OGC API – Features Part 1 (items, one item) and Part 4 (create, replace, update, delete).
public static class FeatureEndpoints
{
    public static void MapFeatures(this WebApplication app)
    {
        var items = app.MapGroup("/collections/{layerId}/items");
        items.MapGet("", GetItems).WithSummary("Features of a collection: bbox, limit, offset and property filters.");
        items.MapGet("/{id}", GetItem).WithSummary("One feature, with its ETag.");
        items.MapPost("", Create).RequireAuthorization(ApiKeyAuthentication.WritePolicy)
            .WithSummary("Add a feature (planner or admin).");
        items.MapPut("/{id}", Replace).RequireAuthorization(ApiKeyAuthentication.WritePolicy)
            .WithSummary("Replace a feature; needs If-Match.");
        items.MapPatch("/{id}", Patch).RequireAuthorization(ApiKeyAuthentication.WritePolicy)
            .WithSummary("Change some properties or the geometry; needs If-Match.");
        items.MapDelete("/{id}", Delete).RequireAuthorization(ApiKeyAuthentication.WritePolicy)
            .WithSummary("Delete a feature; needs If-Match.");
    }

    private static async Task<IResult> GetItems(string layerId, HttpRequest request, FeatureStore store,
        WalkNetworkCache walkNetworks, CoverageTiming timing, CoverageStore coverage, CancellationToken ct)
    {
        if (Layers.Find(layerId) is not { } layer)
            return UnknownLayer(layerId);
        if (layer.Derived && await DerivedLayerVersionAsync(request.HttpContext, walkNetworks, timing, coverage, ct) is { } notBuilt)
            return notBuilt;
        var query = FeatureRequest.TryReadQuery(request, layer, out var problem);
        var crs = FeatureRequest.TryReadOutputCrs(request, out var crsProblem);
        if (query is null || crs is null)
            return problem ?? crsProblem!;
        var coords = FeatureRequest.TryReadOutputCoordinates(request, crs, out var coordsProblem);
        if (coords is null)
            return coordsProblem!;
        var matched = await store.CountAsync(layer, query, ct);
        var showPersonal = ApiKeyAuthentication.CanSeePersonal(request.HttpContext.User);
        byte[] body;
        if (coords is CoordinateSystem.Wgs84 or CoordinateSystem.Cgcs2000)
        {
            var rows = await store.ReadItemsAsGeoJsonAsync(layer, query, crs, showPersonal, ct);
            body = FeatureJson.FeatureCollection(request, layer, query, matched, rows);
        }
        else
        {
            var rows = await store.ReadItemsAsync(layer, query, crs, showPersonal, ct);
            body = FeatureJson.FeatureCollection(request, layer, query, matched,
                rows.Select(row => ConvertGeometry(row, coords.Value)).ToList(), crs.Decimals);
        }
        request.HttpContext.Response.Headers["Content-Crs"] = $"<{crs.Uri}>";
        return new GeoJsonResult(body, StatusCodes.Status200OK);
    }

    private static async Task<IResult> GetItem(string layerId, string id, HttpRequest request, FeatureStore store,
        WalkNetworkCache walkNetworks, CoverageTiming timing, CoverageStore coverage, CancellationToken ct)
    {
        if (Layers.Find(layerId) is not { } layer)
            return UnknownLayer(layerId);
        if (layer.Derived && await DerivedLayerVersionAsync(request.HttpContext, walkNetworks, timing, coverage, ct) is { } notBuilt)
            return notBuilt;
        if (!FeatureRequest.TryReadFormat(request, out var formatProblem))
            return formatProblem!;
        var crs = FeatureRequest.TryReadOutputCrs(request, out var problem);
        if (crs is null)
            return problem!;
        var coords = FeatureRequest.TryReadOutputCoordinates(request, crs, out var coordsProblem);
        if (coords is null)
            return coordsProblem!;
        if (!TryParseId(id, out var featureId))
            return UnknownFeature(layer, id);
        var row = await store.ReadItemAsync(layer, featureId, crs, ApiKeyAuthentication.CanSeePersonal(request.HttpContext.User), ct);
        if (row is null)
            return UnknownFeature(layer, id);
        return FeatureResult(request, layer, ConvertGeometry(row, coords.Value), crs, StatusCodes.Status200OK);
    }

    private static async Task<IResult> Create(string layerId, HttpRequest request, FeatureStore store, CancellationToken ct)
    {
        if (Layers.Find(layerId) is not { } layer)
            return UnknownLayer(layerId);
        if (layer.Derived)
            return DerivedLayer(layer);
        var (feature, problem) = await ReadFeatureAsync(request, layer, WriteMode.Create, ct);
        if (feature is null)
            return problem!;
        var result = await store.InsertAsync(layer, feature, Context(request), ct);
        var row = (await store.ReadItemAsync(layer, result.Id, OutputCrs.Crs84, true, ct))!;
        request.HttpContext.Response.Headers.Location = $"{FeatureJson.BaseUrl(request)}/collections/{layer.Id}/items/{result.Id}";
        return FeatureResult(request, layer, row, OutputCrs.Crs84, StatusCodes.Status201Created);
    }

    private static Task<IResult> Replace(string layerId, string id, HttpRequest request, FeatureStore store, CancellationToken ct) =>
        UpdateAsync(layerId, id, request, store, WriteMode.Replace, ct);

    private static Task<IResult> Patch(string layerId, string id, HttpRequest request, FeatureStore store, CancellationToken ct) =>
        UpdateAsync(layerId, id, request, store, WriteMode.Patch, ct);

    private static async Task<IResult> UpdateAsync(string layerId, string id, HttpRequest request, FeatureStore store,
        WriteMode mode, CancellationToken ct)
    {
        if (Layers.Find(layerId) is not { } layer)
            return UnknownLayer(layerId);
        if (layer.Derived)
            return DerivedLayer(layer);
        if (!TryParseId(id, out var featureId))
            return UnknownFeature(layer, id);
        var expectedVersion = FeatureRequest.TryReadIfMatch(request, out var ifMatchProblem);
        if (expectedVersion is null)
            return ifMatchProblem!;
        var (feature, problem) = await ReadFeatureAsync(request, layer, mode, ct);
        if (feature is null)
            return problem!;
        var result = await store.UpdateAsync(layer, featureId, expectedVersion.Value, feature, mode == WriteMode.Replace, Context(request), ct);
        if (result.Outcome != WriteOutcome.Done)
            return WriteRefused(layer, id, result);
        var row = (await store.ReadItemAsync(layer, featureId, OutputCrs.Crs84, true, ct))!;
        return FeatureResult(request, layer, row, OutputCrs.Crs84, StatusCodes.Status200OK);
    }

    private static async Task<IResult> Delete(string layerId, string id, HttpRequest request, FeatureStore store, CancellationToken ct)
    {
        if (Layers.Find(layerId) is not { } layer)
            return UnknownLayer(layerId);
        if (layer.Derived)
            return DerivedLayer(layer);
        if (!TryParseId(id, out var featureId))
            return UnknownFeature(layer, id);
        var expectedVersion = FeatureRequest.TryReadIfMatch(request, out var problem);
        if (expectedVersion is null)
            return problem!;
        var result = await store.DeleteAsync(layer, featureId, expectedVersion.Value, Context(request), ct);
        return result.Outcome == WriteOutcome.Done ? TypedResults.NoContent() : WriteRefused(layer, id, result);
    }

    /// Derived layers are written by the coverage worker, never by a reader: wait for its very first build
    /// (503 if there is none yet), then say which inputs version the tables hold. The version is read before the
    /// rows, and the worker writes rows and version in one transaction, so the rows are at least that version.
    private static async Task<IResult?> DerivedLayerVersionAsync(HttpContext context, WalkNetworkCache walkNetworks, CoverageTiming timing,
        CoverageStore coverage, CancellationToken ct)
    {
        var (network, notBuilt) = await CoverageEndpoints.CurrentNetworkAsync(context, walkNetworks, timing, ct);
        if (network is null)
            return notBuilt;
        CoverageEndpoints.SetDataVersion(context, await coverage.ReadLayersVersionAsync(ct));
        return null;
    }

    private static IResult DerivedLayer(Layer layer) =>
        Problems.Field("layerId", $"{layer.Id} is computed by GridMap from roads, stations and buildings; it cannot be written.",
            StatusCodes.Status405MethodNotAllowed);

    private static async Task<(FeatureWrite? Feature, IResult? Problem)> ReadFeatureAsync(HttpRequest request, Layer layer,
        WriteMode mode, CancellationToken ct)
    {
        var coordinates = FeatureRequest.TryReadInputCoordinates(request, out var coordinatesProblem);
        if (coordinates is null)
            return (null, coordinatesProblem);
        var (document, problem) = await FeatureRequest.ReadJsonBodyAsync(request, ct);
        if (document is null)
            return (null, problem);
        using (document)
        {
            try
            {
                return (FeatureReader.Read(document.RootElement, layer, mode, coordinates), null);
            }
            catch (FeatureRejectedException e)
            {
                return (null, Problems.Field(e.Property, e.Message));
            }
        }
    }

    private static IResult FeatureResult(HttpRequest request, Layer layer, FeatureRow row, OutputCrs crs, int status)
    {
        var response = request.HttpContext.Response;
        response.Headers.ETag = FeatureRequest.ETag(row.Version);
        response.Headers["Content-Crs"] = $"<{crs.Uri}>";
        var body = FeatureJson.Write(writer => FeatureJson.WriteFeature(writer, layer, row, crs.Decimals, FeatureJson.BaseUrl(request), withLinks: true));
        return new GeoJsonResult(body, status);
    }

    /// GCJ-02 and BD-09 are offsets no database knows, so they are applied here, after PostGIS.
    private static FeatureRow ConvertGeometry(FeatureRow row, CoordinateSystem coords)
    {
        if (coords is CoordinateSystem.Wgs84 or CoordinateSystem.Cgcs2000)
            return row;
        return row with { Geometry = CoordinateConversion.FromWgs84(row.Geometry, coords) };
    }

    private static IResult WriteRefused(Layer layer, string id, WriteResult result) => result.Outcome == WriteOutcome.NotFound
        ? UnknownFeature(layer, id)
        : Problems.Field("If-Match", $"{layer.Id}/{id} is now at version {result.Version} (ETag {FeatureRequest.ETag(result.Version)}); read it again and reapply your change.",
            StatusCodes.Status412PreconditionFailed);

    private static WriteContext Context(HttpRequest request)
    {
        var reason = request.Headers["X-Change-Reason"].ToString();
        return new WriteContext(ApiKeyAuthentication.Actor(request.HttpContext.User),
            reason.Length == 0 ? null : Uri.UnescapeDataString(reason));
    }

    private static bool TryParseId(string text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id);

    public static IResult UnknownLayer(string layerId) =>
        Problems.NotFound($"There is no collection '{layerId}'; collections: {string.Join(", ", Layers.All.Select(l => l.Id))}.");

    private static IResult UnknownFeature(Layer layer, string id) => Problems.NotFound($"{layer.Id} has no feature '{id}'.");

    private sealed class GeoJsonResult(byte[] body, int status) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = FeatureJson.GeoJson;
            httpContext.Response.ContentLength = body.Length;
            await httpContext.Response.Body.WriteAsync(body);
        }
    }
}
