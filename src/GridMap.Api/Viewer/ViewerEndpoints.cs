using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GridMap.Api.Auth;
using GridMap.Api.Errors;
using GridMap.Api.Features;
using GridMap.Geo;
using NetTopologySuite.Geometries;

using GridMap.Data;

namespace GridMap.Api.Viewer;

/// Small read-only helpers for the map viewer (wwwroot): a grid's history for undo, and the geometry of
/// moving a building between grids. Writes go through the OGC API items endpoints with If-Match.
public static class ViewerEndpoints
{
    public static void AddGridMapViewer(this IServiceCollection services) => services.AddSingleton<GridEditStore>();

    public static void MapViewer(this WebApplication app)
    {
        app.MapGet("/grids/{id:long}/history", History)
            .WithSummary("Old versions of a grid, newest first (who, when, why, properties, geometry), for undo.");
        app.MapGet("/viewer/session", Session)
            .WithSummary("Who the sent API key belongs to (name, role), so the viewer can check a key at sign-in.");
        app.MapGet("/grids/{id:long}/move-preview", MovePreview)
            .WithSummary("Geometries, households and parts of the target grid and of the building's current grid after moving the building; writes nothing.");
        // Planner tool: a POST, so it follows the rule of every POST (planner or admin), though it writes nothing.
        app.MapPost("/grids/{id:long}/preview", BoundaryPreview).RequireAuthorization(ApiKeyAuthentication.WritePolicy)
            .WithSummary("Households and validity of a proposed boundary {\"geometry\": GeoJSON polygon} for a grid; writes nothing.");
    }

    private static IResult Session(HttpContext context)
    {
        var user = context.User;
        return user.Identity?.IsAuthenticated == true
            ? TypedResults.Ok(new { authenticated = true, name = user.Identity.Name, role = user.FindFirstValue(ClaimTypes.Role) })
            : TypedResults.Ok(new { authenticated = false, name = (string?)null, role = (string?)null });
    }

    private static async Task<IResult> History(long id, HttpRequest request, GridEditStore store, CancellationToken ct)
    {
        var versions = await store.ReadHistoryAsync(id, ApiKeyAuthentication.CanSeePersonal(request.HttpContext.User), ct);
        if (versions is null)
            return Problems.NotFound($"grids has no feature '{id}' and no history for it.");
        var body = FeatureJson.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("grid_id", id);
            writer.WriteStartArray("versions");
            foreach (var version in versions)
            {
                writer.WriteStartObject();
                writer.WriteNumber("history_id", version.HistoryId);
                writer.WriteNumber("version", version.Version);
                writer.WriteString("operation", version.Operation);
                writer.WriteString("changed_by", version.ChangedBy);
                writer.WriteString("change_reason", version.ChangeReason);
                writer.WriteString("changed_at", version.ChangedAt);
                writer.WritePropertyName("properties");
                writer.WriteRawValue(version.PropertiesJson, skipInputValidation: true);
                writer.WritePropertyName("geometry");
                GeoJson.WriteGeometry(writer, version.Geometry, decimals: 9);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
        return Results.Bytes(body, "application/json");
    }

    private static async Task<IResult> MovePreview(long id, HttpRequest request, GridEditStore store, CancellationToken ct)
    {
        if (!long.TryParse(request.Query["building"], out var buildingId))
            return Problems.Field("building", "building must be the id of the building to move.");
        if (!await store.ExistsAsync("grids", id, ct))
            return Problems.NotFound($"grids has no feature '{id}'.");
        var preview = await store.PreviewMoveAsync(id, buildingId, ct);
        if (preview is null)
            return Problems.Field("building", $"buildings has no feature '{buildingId}'.", StatusCodes.Status404NotFound);
        if (preview.SourceGridId == id)
            return Problems.Field("building", $"Building {buildingId} is already in grid {id}.");
        if (preview.SourceGridId is not null && preview.SourceGeometry is null)
            return Problems.Field("building", $"Moving building {buildingId} would leave grid {preview.SourceGridId} empty; delete or merge that grid instead.");
        var answer = new JsonObject
        {
            ["building_id"] = buildingId,
            ["households"] = preview.Households,
            ["target"] = new JsonObject
            {
                ["id"] = id,
                ["parts"] = preview.TargetParts,
                ["households"] = preview.TargetHouseholds,
                ["geometry"] = GeoJson.ToNode(preview.TargetGeometry),
            },
        };
        if (preview.SourceGridId is { } sourceId)
        {
            answer["source"] = new JsonObject
            {
                ["id"] = sourceId,
                ["parts"] = preview.SourceParts,
                ["households"] = preview.SourceHouseholds,
                ["geometry"] = GeoJson.ToNode(preview.SourceGeometry!),
            };
        }
        return TypedResults.Json(answer);
    }

    private static async Task<IResult> BoundaryPreview(long id, HttpRequest request, GridEditStore store, CancellationToken ct)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException)
        {
            return Problems.Field("geometry", "The body must be JSON: {\"geometry\": a GeoJSON Polygon or MultiPolygon}.");
        }
        if (body is not JsonObject || body["geometry"] is not JsonObject geometryNode)
            return Problems.Field("geometry", "geometry is required: a GeoJSON Polygon or MultiPolygon.");
        if (!await store.ExistsAsync("grids", id, ct))
            return Problems.NotFound($"grids has no feature '{id}'.");
        Geometry boundary;
        try
        {
            boundary = GeoJson.ReadGeometry(JsonSerializer.SerializeToElement(geometryNode));
        }
        catch (GeoJsonException error)
        {
            return Problems.Field("geometry", $"geometry is not readable GeoJSON: {error.Message}");
        }
        if (boundary is not (Polygon or MultiPolygon))
            return Problems.Field("geometry", $"geometry must be a Polygon or MultiPolygon, not {boundary.GeometryType}.");
        var preview = await store.PreviewBoundaryAsync(boundary, ct);
        return TypedResults.Ok(new
        {
            grid_id = id,
            valid = preview.Valid,
            reason = preview.Valid ? null : preview.Reason,
            households = preview.Households,
            parts = preview.Parts,
        });
    }
}
