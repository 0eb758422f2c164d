using System.Globalization;
using System.Text.Json;
using GridMap.Api.Auth;
using GridMap.Api.Errors;
using GridMap.Data;
using GridMap.Regions;

using GridMap.Operations.Regions;

namespace GridMap.Api.Regions;

/// Grid splits (issue 4): propose, apply, discard, and the neighbours of a grid.
public static class SplitEndpoints
{
    private const string Json = "application/json";

    public static void AddGridMapRegions(this IServiceCollection services)
    {
        services.AddSingleton<SplitStore>();
        services.AddSingleton<CommunitySplitter>();
    }

    public static void MapRegions(this WebApplication app)
    {
        app.MapPost("/communities/{id}/split", Split).RequireAuthorization(ApiKeyAuthentication.WritePolicy).RequireRateLimiting(RateLimits.AnalysisPolicy)
            .WithSummary("Proposes contiguous grids of min–max households for a community; body { min, max, seed } (optional).");
        app.MapGet("/proposals/{id}", GetProposal).WithSummary("A split proposal as it was proposed.");
        app.MapPost("/proposals/{id}/apply", Apply).RequireAuthorization(ApiKeyAuthentication.WritePolicy)
            .WithSummary("Replaces the community's grids by the proposal's in one transaction; old grids go to history.");
        app.MapDelete("/proposals/{id}", Discard).RequireAuthorization(ApiKeyAuthentication.WritePolicy)
            .WithSummary("Discards an open proposal.");
        app.MapGet("/grids/{id}/neighbors", Neighbors).WithSummary("Grids sharing a boundary with this grid (AB岗 partners).");
    }

    private static async Task<IResult> Split(string id, HttpRequest request, SplitStore store, CommunitySplitter splitter, CancellationToken ct)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var communityId))
            return Problems.Field("id", $"Community id '{id}' is not a number.");
        var (options, problem) = await ReadOptionsAsync(request, ct);
        if (options is null)
            return problem!;
        var community = await store.FindCommunityAsync(communityId.ToString(CultureInfo.InvariantCulture), ct);
        if (community is null || community.Id != communityId)
            return Problems.Field("id", $"There is no community {communityId}.", StatusCodes.Status404NotFound);
        var split = await splitter.SplitAsync(community, options, ApiKeyAuthentication.Actor(request.HttpContext.User), save: true,
            withCommunityId: false, ct);
        if (split.Result.Problems.FirstOrDefault(p => p.Cause is SplitCause.NoUnits or SplitCause.NoHouseholds) is { } empty)
        {
            return TypedResults.Problem(detail: empty.Cause == SplitCause.NoUnits
                    ? $"Community {communityId} has no buildings or compounds to split."
                    : $"The buildings or compounds of community {communityId} have no households.",
                statusCode: StatusCodes.Status422UnprocessableEntity, title: "The community cannot be split.",
                extensions: new Dictionary<string, object?> { ["field"] = "id", ["cause"] = empty.Cause, ["unit_ids"] = empty.UnitIds });
        }
        request.HttpContext.Response.Headers.Location = $"/proposals/{split.ProposalId}";
        return Results.Text(split.Json, Json, statusCode: StatusCodes.Status201Created);
    }

    /// Bounds from the JSON body (all optional): min and max default to GridBounds, seed 1.
    private static async Task<(SplitOptions?, IResult?)> ReadOptionsAsync(HttpRequest request, CancellationToken ct)
    {
        int min = GridBounds.MinHouseholds, max = GridBounds.MaxHouseholds, seed = 1;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            JsonDocument document;
            try
            {
                document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            }
            catch (JsonException e)
            {
                return (null, Problems.Field("body", $"Not valid JSON: {e.Message}"));
            }
            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                    return (null, Problems.Field("body", "Expected a JSON object { min, max, seed }."));
                foreach (var member in document.RootElement.EnumerateObject())
                {
                    if (member.Name is not ("min" or "max" or "seed"))
                        return (null, Problems.Field(member.Name, $"Unknown option '{member.Name}'; options are min, max and seed."));
                    if (member.Value.ValueKind != JsonValueKind.Number || !member.Value.TryGetInt32(out var value))
                        return (null, Problems.Field(member.Name, $"'{member.Name}' must be a whole number."));
                    _ = member.Name switch { "min" => min = value, "max" => max = value, _ => seed = value };
                }
            }
        }
        if (min <= 0)
            return (null, Problems.Field("min", "min must be at least 1 household."));
        if (max < min)
            return (null, Problems.Field("max", $"max ({max}) must not be below min ({min})."));
        return (new SplitOptions(min, max, seed), null);
    }

    private static async Task<IResult> GetProposal(string id, SplitStore store, CancellationToken ct)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var proposalId))
            return Problems.Field("id", $"Proposal id '{id}' is not a number.");
        return await store.GetProposalAsync(proposalId, ct) is { } proposal
            ? Results.Text(proposal.Report, Json)
            : Problems.Field("id", $"There is no proposal {proposalId}.", StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> Apply(string id, HttpRequest request, SplitStore store, CancellationToken ct)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var proposalId))
            return Problems.Field("id", $"Proposal id '{id}' is not a number.");
        var (status, gridIds) = await store.ApplyAsync(proposalId, ApiKeyAuthentication.Actor(request.HttpContext.User), ct);
        return status switch
        {
            ApplyStatus.NotFound => Problems.Field("id", $"There is no proposal {proposalId}.", StatusCodes.Status404NotFound),
            ApplyStatus.AlreadyApplied => Problems.Field("id", $"Proposal {proposalId} was already applied.", StatusCodes.Status409Conflict),
            _ => TypedResults.Ok(new { proposal_id = proposalId, grid_ids = gridIds }),
        };
    }

    private static async Task<IResult> Discard(string id, SplitStore store, CancellationToken ct)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var proposalId))
            return Problems.Field("id", $"Proposal id '{id}' is not a number.");
        return await store.DiscardAsync(proposalId, ct)
            ? TypedResults.NoContent()
            : Problems.Field("id", $"There is no open proposal {proposalId}.", StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> Neighbors(string id, SplitStore store, CancellationToken ct)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var gridId))
            return Problems.Field("id", $"Grid id '{id}' is not a number.");
        var neighbors = await store.GetNeighborsAsync(gridId, ct);
        if (neighbors is null)
            return Problems.Field("id", $"There is no grid {gridId}.", StatusCodes.Status404NotFound);
        return TypedResults.Ok(new
        {
            id = gridId,
            neighbors = neighbors.Select(n => new { id = n.Id, name = n.Name, code = n.Code, community_id = n.CommunityId, shared_m = Math.Round(n.SharedMeters, 1) }),
        });
    }
}
