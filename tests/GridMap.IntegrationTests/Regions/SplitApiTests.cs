using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using GridMap.IntegrationTests.Support;

namespace GridMap.IntegrationTests.Regions;

/// Split → proposal → apply through the real API and PostGIS: the grids tile the community (checked in
/// PostGIS), apply replaces the grids with history, and bad input or a viewer writes nothing.
[Collection("postgres")]
public sealed class SplitApiTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const double South = 31.600, Size = 0.006; // about 570 m × 670 m
    private static int _seeded;
    private ApiTestContext _api = null!;
    private double West { get; set; } = 117.880;

    public async Task InitializeAsync() => _api = await ApiFactory.StartAsync(postgres, "split_api");

    public async Task DisposeAsync() => await _api.DisposeAsync();

    /// A community with a primary road through the middle (north–south), 4 compounds of 6 buildings × 35
    /// households each side (840 households a side, 1,680 in all), and two old hand-drawn grids. Returns the community id.
    private async Task<long> SeedCommunityAsync(string name, bool withUnits = true, int households = 35)
    {
        // Each community in its own place: units belong to a community by where they lie.
        West = 117.880 + 0.01 * Interlocked.Increment(ref _seeded);
        var id = await _api.ScalarAsync<long>(
            $"INSERT INTO communities (name, code, geom) VALUES ('{name}', '{name}', ST_Multi({Box(West, South, West + Size, South + Size)})) RETURNING id");
        await _api.ExecuteAsync($"""
            INSERT INTO grids (name, community_id, geom) VALUES
              ('{name}旧网格1', {id}, ST_Multi({Box(West, South, West + Size / 2, South + Size)})),
              ('{name}旧网格2', {id}, ST_Multi({Box(West + Size / 2, South, West + Size, South + Size)}));
            INSERT INTO roads (name, highway, geom) VALUES ('{name}大道', 'primary',
              ST_SetSRID(ST_MakeLine(ST_MakePoint({Num(West + Size / 2)}, {Num(South - 0.001)}), ST_MakePoint({Num(West + Size / 2)}, {Num(South + Size + 0.001)})), 4326));
            """);
        if (!withUnits)
            return id;
        for (var c = 0; c < 8; c++)
        {
            var x0 = West + (c % 4 < 2 ? 0.0005 : Size / 2 + 0.0005) + (c % 2) * 0.0013;
            var y0 = South + 0.0005 + (c / 4) * 0.003 + (c % 4 >= 2 ? 0.0002 : 0);
            var compound = await _api.ScalarAsync<long>(
                $"INSERT INTO compounds (name, community_id, geom) VALUES ('{name}小区{c}', {id}, ST_Multi({Box(x0, y0, x0 + 0.0012, y0 + 0.0025)})) RETURNING id");
            for (var b = 0; b < 6; b++)
            {
                var bx = x0 + 0.0001 + (b % 2) * 0.0006;
                var by = y0 + 0.0001 + (b / 2) * 0.0008;
                await _api.ExecuteAsync(
                    $"INSERT INTO buildings (compound_id, households, geom) VALUES ({compound}, {households}, ST_Multi({Box(bx, by, bx + 0.0004, by + 0.0005)}))");
            }
        }
        return id;
    }

    private static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Box(double x0, double y0, double x1, double y1) =>
        $"ST_MakeEnvelope({Num(x0)}, {Num(y0)}, {Num(x1)}, {Num(y1)}, 4326)";

    [Fact]
    public async Task SplitThenApply_ReplacesGridsWithHistory()
    {
        var community = await SeedCommunityAsync("金湖");
        var planner = _api.Planner();

        var response = await planner.PostAsync($"/communities/{community}/split", Http.GeoJson("""{"min":300,"max":500,"seed":4}"""));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        var proposal = (long)body["id"]!;
        Assert.True((bool)body["feasible"]!);
        Assert.Empty(body["problems"]!.AsArray());
        var features = body["grids"]!["features"]!.AsArray();
        Assert.Equal(4, features.Count);
        foreach (var feature in features)
        {
            var properties = feature!["properties"]!;
            Assert.InRange((int)properties["households"]!, 300, 500);
            Assert.Equal(0, (int)properties["barriers_crossed"]!); // the road splits 840 | 840
            Assert.Equal(0, (int)properties["compounds_cut"]!);
            Assert.InRange((double)properties["area_m2"]!, 50_000, 200_000);
            Assert.InRange((double)properties["polsby_popper"]!, 0.3, 1.0);
            Assert.NotEmpty(properties["neighbors"]!.AsArray());
        }
        Assert.Equal(1680, features.Sum(f => (int)f!["properties"]!["households"]!));

        // Tiling, checked in PostGIS: the union is the community and no two grids overlap.
        var gapsAndSpill = await _api.ScalarAsync<double>($"""
            SELECT ST_Area(ST_SymDifference(ST_Union(g.geom), min(c.geom::text)::geometry)::geography)
            FROM split_proposal_grids g, communities c WHERE g.proposal_id = {proposal} AND c.id = {community}
            """);
        Assert.True(gapsAndSpill < 0.01, $"union differs from the community by {gapsAndSpill} m²");
        Assert.Equal(0.0, await _api.ScalarAsync<double>($"""
            SELECT coalesce(sum(ST_Area(ST_Intersection(a.geom, b.geom)::geography)), 0)
            FROM split_proposal_grids a JOIN split_proposal_grids b ON a.proposal_id = b.proposal_id AND a.index < b.index
            WHERE a.proposal_id = {proposal}
            """), 2);

        var applied = await planner.PostAsync($"/proposals/{proposal}/apply", null);
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        var gridIds = (await applied.JsonAsync())["grid_ids"]!.AsArray().Select(x => (long)x!).ToList();
        Assert.Equal(4, gridIds.Count);
        Assert.Equal(4, await _api.ScalarAsync<long>($"SELECT count(*) FROM grids WHERE community_id = {community}"));
        Assert.Equal(0, await _api.ScalarAsync<long>($"SELECT count(*) FROM grids WHERE community_id = {community} AND name LIKE '%旧网格%'"));
        // Households recounted by the database agree with the proposal.
        Assert.Equal("420,420,420,420", await _api.ScalarAsync<string>(
            $"SELECT string_agg(households::text, ',' ORDER BY households) FROM grids WHERE community_id = {community}"));
        Assert.Equal(2, await _api.ScalarAsync<long>(
            $"SELECT count(*) FROM grid_history WHERE operation = 'DELETE' AND old_row->>'community_id' = '{community}' AND changed_by LIKE '张规划%' AND change_reason LIKE 'split proposal%'"));

        var neighbors = await (await planner.GetAsync($"/grids/{gridIds[0]}/neighbors")).JsonAsync();
        var neighborIds = neighbors["neighbors"]!.AsArray().Select(n => (long)n!["id"]!).ToList();
        Assert.NotEmpty(neighborIds);
        Assert.All(neighborIds, n => Assert.Contains(n, gridIds.Skip(1)));

        Assert.Equal(HttpStatusCode.Conflict, (await planner.PostAsync($"/proposals/{proposal}/apply", null)).StatusCode);
        var stored = await (await planner.GetAsync($"/proposals/{proposal}")).JsonAsync();
        Assert.Equal(proposal, (long)stored["id"]!);
    }

    [Fact]
    public async Task Apply_ViewerKey_Is403AndGridsStay()
    {
        var community = await SeedCommunityAsync("银湖");
        var body = await (await _api.Planner().PostAsync($"/communities/{community}/split", null)).JsonAsync();
        var proposal = (long)body["id"]!;

        var viewer = _api.WithKey(_api.ViewerKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/proposals/{proposal}/apply", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/communities/{community}/split", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.Anonymous().PostAsync($"/proposals/{proposal}/apply", null)).StatusCode);
        Assert.Equal(2, await _api.ScalarAsync<long>($"SELECT count(*) FROM grids WHERE community_id = {community} AND name LIKE '%旧网格%'"));
        Assert.Equal(0, await _api.ScalarAsync<long>($"SELECT count(*) FROM grid_history WHERE old_row->>'community_id' = '{community}'"));
    }

    [Fact]
    public async Task Discard_RemovesProposal()
    {
        var community = await SeedCommunityAsync("铜湖");
        var planner = _api.Planner();
        var proposal = (long)(await (await planner.PostAsync($"/communities/{community}/split", null)).JsonAsync())["id"]!;

        Assert.Equal(HttpStatusCode.NoContent, (await planner.DeleteAsync($"/proposals/{proposal}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await planner.PostAsync($"/proposals/{proposal}/apply", null)).StatusCode);
        Assert.Equal(0, await _api.ScalarAsync<long>($"SELECT count(*) FROM split_proposal_grids WHERE proposal_id = {proposal}"));
    }

    [Fact]
    public async Task Split_BadInput_Is4xxNamingTheField()
    {
        var community = await SeedCommunityAsync("锡湖");
        var empty = await SeedCommunityAsync("空湖", withUnits: false);
        var planner = _api.Planner();
        var proposalsBefore = await _api.ScalarAsync<long>("SELECT count(*) FROM split_proposals");

        await AssertProblemAsync(planner, $"/communities/{community}/split", """{"min":500,"max":300}""", HttpStatusCode.BadRequest, "max");
        await AssertProblemAsync(planner, $"/communities/{community}/split", """{"min":0}""", HttpStatusCode.BadRequest, "min");
        await AssertProblemAsync(planner, $"/communities/{community}/split", """{"min":-5,"max":10}""", HttpStatusCode.BadRequest, "min");
        await AssertProblemAsync(planner, $"/communities/{community}/split", """{"min":"300"}""", HttpStatusCode.BadRequest, "min");
        await AssertProblemAsync(planner, $"/communities/{community}/split", """{"mni":300}""", HttpStatusCode.BadRequest, "mni");
        await AssertProblemAsync(planner, $"/communities/{community}/split", """{"min":""", HttpStatusCode.BadRequest, "body");
        await AssertProblemAsync(planner, "/communities/987654/split", null, HttpStatusCode.NotFound, "id");
        await AssertProblemAsync(planner, "/communities/abc/split", null, HttpStatusCode.BadRequest, "id");
        var noUnits = await AssertProblemAsync(planner, $"/communities/{empty}/split", null, HttpStatusCode.UnprocessableEntity, "id");
        Assert.Equal("no_units", (string)noUnits["cause"]!);
        await AssertProblemAsync(planner, "/proposals/987654/apply", null, HttpStatusCode.NotFound, "id");
        await AssertProblemAsync(planner, "/grids/987654/neighbors", null, HttpStatusCode.NotFound, "id", get: true);

        await _api.ExecuteAsync($"""
            INSERT INTO compounds (name, community_id, households, geom) VALUES ('零户小区', {empty}, 0, ST_Multi({Box(West + 0.001, South + 0.001, West + 0.002, South + 0.002)}))
            """);
        var noHouseholds = await AssertProblemAsync(planner, $"/communities/{empty}/split", null, HttpStatusCode.UnprocessableEntity, "id");
        Assert.Equal("no_households", (string)noHouseholds["cause"]!);

        Assert.Equal(proposalsBefore, await _api.ScalarAsync<long>("SELECT count(*) FROM split_proposals"));
        Assert.Equal(2, await _api.ScalarAsync<long>($"SELECT count(*) FROM grids WHERE community_id = {community}"));
    }

    [Fact]
    public async Task Split_BuildingOverMax_NamesItAndFlagsItsGrid()
    {
        var community = await SeedCommunityAsync("石湖");
        var big = await _api.ScalarAsync<long>($"SELECT min(b.id) FROM buildings b JOIN compounds c ON c.id = b.compound_id WHERE c.community_id = {community}");
        await _api.ExecuteAsync($"UPDATE buildings SET households = 650 WHERE id = {big}");

        var body = await (await _api.Planner().PostAsync($"/communities/{community}/split", null)).JsonAsync();

        Assert.False((bool)body["feasible"]!);
        var problem = Assert.Single(body["problems"]!.AsArray(), p => (string)p!["cause"]! == "unit_over_max")!;
        Assert.Equal(big, (long)Assert.Single(problem["unit_ids"]!.AsArray())!);
        var grid = body["grids"]!["features"]!.AsArray().Single(f => f!["properties"]!["unit_ids"]!.AsArray().Any(u => (long)u! == big))!;
        Assert.True((bool)grid["properties"]!["flagged"]!);
    }

    private static async Task<JsonNode> AssertProblemAsync(HttpClient client, string url, string? body, HttpStatusCode status, string field, bool get = false)
    {
        var response = get ? await client.GetAsync(url) : await client.PostAsync(url, body is null ? null : Http.GeoJson(body));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.ContentType()!.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(field, (string)problem["field"]!);
        return problem;
    }
}
