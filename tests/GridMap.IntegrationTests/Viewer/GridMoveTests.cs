using System.Net;
using System.Text;
using GridMap.IntegrationTests.Support;

namespace GridMap.IntegrationTests.Viewer;

/// Issue 13 item 4: POST /grids/{id}/move moves buildings or whole compounds between two grids in one
/// transaction with both grids' ETags; a refusal writes nothing.
[Collection("postgres")]
public sealed class GridMoveTests(PostgresFixture postgres) : IAsyncLifetime
{
    private ApiTestContext _api = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiFactory.StartAsync(postgres, "grid_move");
        // Two grids side by side, 0.01° each. West: building 1 near the shared border, building 2 far from it,
        // compound 10 with buildings 3 and 4 in the middle. East: building 5.
        await _api.ExecuteAsync("""
            INSERT INTO compounds (id, name, households, geom) VALUES
              (10, '中间小区', 150, ST_Multi(ST_MakeEnvelope(117.8040, 31.6020, 117.8060, 31.6080, 4326)));
            INSERT INTO buildings (id, compound_id, households, geom) VALUES
              (1, NULL, 120, ST_Multi(ST_MakeEnvelope(117.8080, 31.6040, 117.8090, 31.6050, 4326))),
              (2, NULL, 200, ST_Multi(ST_MakeEnvelope(117.8010, 31.6040, 117.8020, 31.6050, 4326))),
              (3, 10, 100, ST_Multi(ST_MakeEnvelope(117.8045, 31.6025, 117.8055, 31.6035, 4326))),
              (4, 10, 50, ST_Multi(ST_MakeEnvelope(117.8045, 31.6065, 117.8055, 31.6075, 4326))),
              (5, NULL, 80, ST_Multi(ST_MakeEnvelope(117.8150, 31.6040, 117.8160, 31.6050, 4326)));
            INSERT INTO grids (id, name, geom) VALUES
              (1, '西网格', ST_Multi(ST_MakeEnvelope(117.80, 31.60, 117.81, 31.61, 4326))),
              (2, '东网格', ST_Multi(ST_MakeEnvelope(117.81, 31.60, 117.82, 31.61, 4326)));
            """);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private async Task<HttpResponseMessage> MoveAsync(long from, string body, string? ifMatch = "\"1\"", string? ifMatchTarget = "\"1\"",
        string? reason = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/grids/{from}/move")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (ifMatchTarget is not null)
            request.Headers.TryAddWithoutValidation("If-Match-Target", ifMatchTarget);
        if (reason is not null)
            request.Headers.TryAddWithoutValidation("X-Change-Reason", Uri.EscapeDataString(reason));
        return await _api.Planner().SendAsync(request);
    }

    /// Every grid row version and the history: any write changes it.
    private Task<string?> GridsFingerprintAsync() => _api.ScalarAsync<string>(
        "SELECT string_agg(id || ':' || version || ':' || households || ':' || md5(ST_AsEWKB(geom)::text), ',' ORDER BY id) || '/' || (SELECT count(*) FROM grid_history) FROM grids");

    [Fact]
    public async Task Move_BorderBuilding_BothGridsChangeVersionsHistoryAndHouseholds()
    {
        var response = await MoveAsync(1, """{"to":2,"buildings":[1]}""", reason: "楼栋1划入东网格");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(120, (int)body["households"]!);
        Assert.Equal("\"2\"", (string)body["source"]!["etag"]!);
        Assert.Equal("\"2\"", (string)body["target"]!["etag"]!);
        Assert.Equal(1, (int)body["source"]!["parts"]!);
        Assert.Equal(1, (int)body["target"]!["parts"]!);
        Assert.Equal(350, (int)body["source"]!["feature"]!["properties"]!["households"]!);
        Assert.Equal(200, (int)body["target"]!["feature"]!["properties"]!["households"]!);
        Assert.Equal("MultiPolygon", (string)body["target"]!["feature"]!["geometry"]!["type"]!);
        Assert.Equal(200, await _api.ScalarAsync<int>("SELECT households FROM grids WHERE id = 2"));
        Assert.Equal(2, await _api.ScalarAsync<long>("SELECT count(*) FROM grid_history WHERE change_reason = '楼栋1划入东网格' AND version = 1"));
        Assert.Equal(0.0, await _api.ScalarAsync<double>(
            "SELECT ST_Area(ST_Intersection(a.geom, b.geom)::geography) FROM grids a, grids b WHERE a.id = 1 AND b.id = 2"), 3);
        Assert.Equal(0.0, await _api.ScalarAsync<double>(
            "SELECT ST_Area(ST_SymDifference(ST_Union(geom), ST_MakeEnvelope(117.80, 31.60, 117.82, 31.61, 4326))::geography) FROM grids"), 1);

        // The answer's ETags are the ones to send next: moving it back works with them.
        var back = await MoveAsync(2, """{"to":1,"buildings":[1]}""", "\"2\"", "\"2\"");
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal(470, await _api.ScalarAsync<int>("SELECT households FROM grids WHERE id = 1"));
    }

    [Fact]
    public async Task Move_WholeCompound_MovesAllItsBuildings()
    {
        var response = await MoveAsync(1, """{"to":2,"compounds":[10]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(150, (int)(await response.JsonAsync())["households"]!);
        Assert.Equal(230, await _api.ScalarAsync<int>("SELECT households FROM grids WHERE id = 2"));
        Assert.Equal(320, await _api.ScalarAsync<int>("SELECT households FROM grids WHERE id = 1"));
    }

    [Theory]
    [InlineData("\"7\"", "\"1\"", "If-Match")]
    [InlineData("\"1\"", "\"7\"", "If-Match-Target")]
    [InlineData("garbage", "\"1\"", "If-Match")]
    public async Task Move_StaleETagOnEitherGrid_412NamingTheHeaderAndNothingWritten(string ifMatch, string ifMatchTarget, string field)
    {
        var before = await GridsFingerprintAsync();

        var response = await MoveAsync(1, """{"to":2,"buildings":[1]}""", ifMatch, ifMatchTarget);

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal(field, (string)(await response.JsonAsync())["field"]!);
        Assert.Equal(before, await GridsFingerprintAsync());
    }

    [Theory]
    [InlineData(null, "\"1\"", "If-Match")]
    [InlineData("\"1\"", null, "If-Match-Target")]
    public async Task Move_MissingETag_428(string? ifMatch, string? ifMatchTarget, string field)
    {
        var before = await GridsFingerprintAsync();

        var response = await MoveAsync(1, """{"to":2,"buildings":[1]}""", ifMatch, ifMatchTarget);

        Assert.Equal(HttpStatusCode.PreconditionRequired, response.StatusCode);
        Assert.Equal(field, (string)(await response.JsonAsync())["field"]!);
        Assert.Equal(before, await GridsFingerprintAsync());
    }

    public static TheoryData<long, string, int, string> BadMoves => new()
    {
        { 1, """{"buildings":[1]}""", 400, "to" },
        { 1, """{"to":"2","buildings":[1]}""", 400, "to" },
        { 1, """{"to":2,"buildings":"1"}""", 400, "buildings" },
        { 1, """{"to":2,"buildings":[1.5]}""", 400, "buildings" },
        { 1, """{"to":2,"compounds":[-3]}""", 400, "compounds" },
        { 1, """{"to":2}""", 400, "buildings" },
        { 1, """{"to":2,"buildings":[1],"colour":"red"}""", 400, "colour" },
        { 1, """[1,2]""", 400, "body" },
        { 1, """{"to":1,"buildings":[1]}""", 422, "to" },
        { 1, """{"to":99,"buildings":[1]}""", 404, "to" },
        { 99, """{"to":2,"buildings":[1]}""", 404, "id" },
        { 1, """{"to":2,"buildings":[1,999]}""", 404, "buildings" },
        { 1, """{"to":2,"compounds":[999]}""", 404, "compounds" },
        { 1, """{"to":2,"buildings":[5]}""", 422, "buildings" },
        { 2, """{"to":1,"compounds":[10]}""", 422, "compounds" },
        { 1, """{"to":2,"buildings":[1,2],"compounds":[10]}""", 422, "buildings" },
    };

    [Theory]
    [MemberData(nameof(BadMoves))]
    public async Task Move_BadRequest_ProblemNamingTheFieldAndNothingWritten(long from, string body, int status, string field)
    {
        var before = await GridsFingerprintAsync();

        var response = await MoveAsync(from, body);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.ContentType()?.MediaType);
        Assert.Equal(field, (string)(await response.JsonAsync())["field"]!);
        Assert.Equal(before, await GridsFingerprintAsync());
    }

    [Fact]
    public async Task Move_ViewerKey_403AndNothingWritten()
    {
        var before = await GridsFingerprintAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/grids/1/move")
        {
            Content = new StringContent("""{"to":2,"buildings":[1]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("If-Match", "*");
        request.Headers.TryAddWithoutValidation("If-Match-Target", "*");

        var response = await _api.WithKey(_api.ViewerKey).SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await GridsFingerprintAsync());
    }
}
