using System.Text.Json;
using GridMap.Api.Auth;
using GridMap.Api.Errors;
using GridMap.Api.Features;
using GridMap.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GridMap.Api.Viewer;

/// `POST /grids/{id}/move`: buildings or whole compounds from grid {id} to another grid, as one request and one
/// transaction (issue 13 item 4), replacing the viewer's two PATCHes with a client-side undo.
/// Body `{"to": TARGET, "buildings": [ids], "compounds": [ids]}`; `If-Match` is the ETag of grid {id} (the source),
/// `If-Match-Target` that of the target.
public static class GridMoveEndpoints
{
    public const string IfMatchTarget = "If-Match-Target";

    public static void MapGridMove(this WebApplication app) =>
        app.MapPost("/grids/{id:long}/move", Move).RequireAuthorization(ApiKeyAuthentication.WritePolicy)
            .WithSummary("Move buildings or whole compounds from this grid to grid `to` in one transaction; If-Match for this grid, If-Match-Target for the target. Answers both grids with their new ETags.");

    private sealed record MoveBody(long To, IReadOnlyList<long> Buildings, IReadOnlyList<long> Compounds);

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Move(long id, HttpRequest request, GridEditStore edits,
        FeatureStore features, CancellationToken ct)
    {
        var (document, bodyProblem) = await FeatureRequest.ReadJsonBodyAsync(request, ct);
        if (document is null)
            return (ProblemHttpResult)bodyProblem!;
        MoveBody? body;
        ProblemHttpResult? problem;
        using (document)
            body = ReadBody(document.RootElement, id, out problem);
        if (body is null)
            return problem!;
        var sourceVersion = FeatureRequest.TryReadIfMatch(request, out var ifMatchProblem);
        if (sourceVersion is null)
            return (ProblemHttpResult)ifMatchProblem!;
        if (request.Headers[IfMatchTarget].ToString().Trim().Length == 0)
            return Problems.Field(IfMatchTarget, "Send If-Match-Target with the ETag you read of the target grid, so concurrent edits are not lost.",
                StatusCodes.Status428PreconditionRequired);
        var targetVersion = ParseETag(request.Headers[IfMatchTarget].ToString().Trim());
        var move = new GridMoveRequest(id, sourceVersion.Value, body.To, targetVersion, body.Buildings, body.Compounds);
        var reason = request.Headers["X-Change-Reason"].ToString();
        var context = new WriteContext(ApiKeyAuthentication.Actor(request.HttpContext.User), reason.Length == 0 ? null : Uri.UnescapeDataString(reason));
        var result = await edits.MoveAsync(move, context, ct);
        if (Refusal(move, result) is { } refusal)
            return refusal;
        var showPersonal = ApiKeyAuthentication.CanSeePersonal(request.HttpContext.User);
        var source = (await features.ReadItemAsync(Layers.Grids, id, OutputCrs.Crs84, showPersonal, ct))!;
        var target = (await features.ReadItemAsync(Layers.Grids, body.To, OutputCrs.Crs84, showPersonal, ct))!;
        var baseUrl = FeatureJson.BaseUrl(request);
        var json = FeatureJson.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("households", result.Households);
            WriteGrid(writer, "source", source, result.SourceParts, baseUrl);
            WriteGrid(writer, "target", target, result.TargetParts, baseUrl);
            writer.WriteEndObject();
        });
        return TypedResults.Bytes(json, "application/json");
    }

    private static void WriteGrid(Utf8JsonWriter writer, string name, FeatureRow row, int parts, string baseUrl)
    {
        writer.WriteStartObject(name);
        writer.WriteString("etag", FeatureRequest.ETag(row.Version));
        writer.WriteNumber("parts", parts);
        writer.WritePropertyName("feature");
        FeatureJson.WriteFeature(writer, Layers.Grids, row, OutputCrs.Crs84.Decimals, baseUrl, withLinks: true);
        writer.WriteEndObject();
    }

    private static MoveBody? ReadBody(JsonElement root, long sourceId, out ProblemHttpResult? problem)
    {
        problem = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = Problems.Field("body", "The body must be a JSON object: {\"to\": grid id, \"buildings\": [ids], \"compounds\": [ids]}.");
            return null;
        }
        if (root.EnumerateObject().Select(p => p.Name).FirstOrDefault(name => name is not ("to" or "buildings" or "compounds")) is { } unknown)
        {
            problem = Problems.Field(unknown, $"'{unknown}' is not a member of a move; send to, buildings and compounds.");
            return null;
        }
        if (!root.TryGetProperty("to", out var to) || to.ValueKind != JsonValueKind.Number || !to.TryGetInt64(out var targetId) || targetId < 1)
        {
            problem = Problems.Field("to", "to is required: the id of the grid to move into.");
            return null;
        }
        if (targetId == sourceId)
        {
            problem = Problems.Field("to", $"to is grid {sourceId} itself: a move needs two different grids.", StatusCodes.Status422UnprocessableEntity);
            return null;
        }
        var buildings = ReadIds(root, "buildings", ref problem);
        var compounds = ReadIds(root, "compounds", ref problem);
        if (buildings is null || compounds is null)
            return null;
        if (buildings.Count + compounds.Count == 0)
        {
            problem = Problems.Field("buildings", "Name at least one building (buildings) or compound (compounds) to move.");
            return null;
        }
        return new MoveBody(targetId, buildings, compounds);
    }

    private static List<long>? ReadIds(JsonElement root, string member, ref ProblemHttpResult? problem)
    {
        if (problem is not null)
            return null;
        if (!root.TryGetProperty(member, out var array) || array.ValueKind == JsonValueKind.Null)
            return [];
        var ids = new List<long>();
        if (array.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in array.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var itemId) || itemId < 1)
                    break;
                ids.Add(itemId);
            }
        }
        if (array.ValueKind != JsonValueKind.Array || ids.Count != array.GetArrayLength() || ids.Count > 10_000)
        {
            problem = Problems.Field(member, $"{member} must be an array of at most 10,000 feature ids (positive integers).");
            return null;
        }
        return ids.Distinct().ToList();
    }

    /// `"7"`, `W/"7"` or `*`, as If-Match; anything else can never match (412).
    private static int ParseETag(string text)
    {
        if (text == "*")
            return FeatureStore.AnyVersion;
        var quoted = text.StartsWith("W/", StringComparison.Ordinal) ? text[2..] : text;
        return int.TryParse(quoted.Trim('"'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
            ? version
            : 0;
    }

    private static ProblemHttpResult? Refusal(GridMoveRequest move, GridMoveResult result) => result.Outcome switch
    {
        GridMoveOutcome.Done => null,
        GridMoveOutcome.SourceNotFound => Problems.Field("id", $"grids has no feature '{move.SourceId}'.", StatusCodes.Status404NotFound),
        GridMoveOutcome.TargetNotFound => Problems.Field("to", $"grids has no feature '{move.TargetId}'.", StatusCodes.Status404NotFound),
        GridMoveOutcome.SourceStale => Stale("If-Match", move.SourceId, result.CurrentVersion),
        GridMoveOutcome.TargetStale => Stale(IfMatchTarget, move.TargetId, result.CurrentVersion),
        GridMoveOutcome.BuildingNotFound => Problems.Field("buildings", $"buildings has no feature '{result.FaultId}'.", StatusCodes.Status404NotFound),
        GridMoveOutcome.CompoundNotFound => Problems.Field("compounds", $"compounds has no feature '{result.FaultId}'.", StatusCodes.Status404NotFound),
        GridMoveOutcome.BuildingNotInSource => Problems.Field("buildings", $"Building {result.FaultId} is not in grid {move.SourceId}.",
            StatusCodes.Status422UnprocessableEntity),
        GridMoveOutcome.CompoundNotInSource => Problems.Field("compounds", $"Compound {result.FaultId} has no building in grid {move.SourceId}.",
            StatusCodes.Status422UnprocessableEntity),
        GridMoveOutcome.SourceWouldBeEmpty => Problems.Field("buildings", $"The move would leave grid {move.SourceId} empty; delete or merge that grid instead.",
            StatusCodes.Status422UnprocessableEntity),
        _ => Problems.Field("buildings", "The move would make a grid boundary that is not a valid polygon.", StatusCodes.Status422UnprocessableEntity),
    };

    private static ProblemHttpResult Stale(string header, long gridId, int version) =>
        Problems.Field(header, $"grids/{gridId} is now at version {version} (ETag {FeatureRequest.ETag(version)}); read it again and reapply your move.",
            StatusCodes.Status412PreconditionFailed);
}
