using System.Net;
using GridMap.IntegrationTests.Support;

namespace GridMap.IntegrationTests.Api;

[Collection("postgres")]
public sealed class FeatureCrudTests(PostgresFixture postgres) : IAsyncLifetime
{
    private ApiTestContext _api = null!;

    public async Task InitializeAsync() => _api = await ApiFactory.StartAsync(postgres, "feature_crud");

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Station_CreateReadReplacePatchDelete_RoundTrips()
    {
        var client = _api.Planner();
        var created = await client.PostAsync("/collections/stations/items",
            Http.GeoJson(Http.PointFeature(117.88, 31.60, """{"name":"金湖社区党群服务中心","kind":"center","floor_area_m2":420}""")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.NotNull(created.Headers.Location);
        var body = await created.JsonAsync();
        var id = (long)body["id"]!;
        Assert.Equal("金湖社区党群服务中心", (string)body["properties"]!["name"]!);
        Assert.Equal("\"1\"", created.ETag());

        var read = await client.GetAsync($"/collections/stations/items/{id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("application/geo+json", read.ContentType()!.MediaType);
        var feature = await read.JsonAsync();
        Assert.Equal(117.88, (double)feature["geometry"]!["coordinates"]![0]!, 6);
        Assert.Equal(420, (double)feature["properties"]!["floor_area_m2"]!);

        var replaced = await client.SendAsync(HttpMethod.Put, $"/collections/stations/items/{id}",
            Http.PointFeature(117.881, 31.601, """{"name":"金湖驿站","kind":"yizhan"}"""), read.ETag());
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("\"2\"", replaced.ETag());
        var afterPut = await replaced.JsonAsync();
        Assert.Null(afterPut["properties"]!["floor_area_m2"]);
        Assert.Equal("yizhan", (string)afterPut["properties"]!["kind"]!);

        var patched = await client.SendAsync(HttpMethod.Patch, $"/collections/stations/items/{id}",
            """{"type":"Feature","properties":{"opening_hours":"08:30-17:30"}}""", replaced.ETag());
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var afterPatch = await patched.JsonAsync();
        Assert.Equal("08:30-17:30", (string)afterPatch["properties"]!["opening_hours"]!);
        Assert.Equal("金湖驿站", (string)afterPatch["properties"]!["name"]!);
        Assert.Equal(117.881, (double)afterPatch["geometry"]!["coordinates"]![0]!, 6);

        var deleted = await client.SendAsync(HttpMethod.Delete, $"/collections/stations/items/{id}", ifMatch: patched.ETag());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/collections/stations/items/{id}")).StatusCode);
    }

    [Fact]
    public async Task Update_WithoutIfMatch_Is428AndStaleIs412()
    {
        var client = _api.Planner();
        var created = await client.PostAsync("/collections/cameras/items",
            Http.GeoJson(Http.PointFeature(117.87, 31.61, """{"name":"路口1","status":"online"}""")));
        var url = created.Headers.Location!.PathAndQuery;
        var firstETag = created.ETag();

        var missing = await client.SendAsync(HttpMethod.Patch, url, """{"type":"Feature","properties":{"status":"fault"}}""");
        Assert.Equal((HttpStatusCode)428, missing.StatusCode);
        Assert.Equal("If-Match", (string)(await missing.JsonAsync())["field"]!);

        var first = await client.SendAsync(HttpMethod.Patch, url, """{"type":"Feature","properties":{"status":"fault"}}""", firstETag);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var stale = await client.SendAsync(HttpMethod.Patch, url, """{"type":"Feature","properties":{"status":"offline"}}""", firstETag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        var staleDelete = await client.SendAsync(HttpMethod.Delete, url, ifMatch: firstETag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, staleDelete.StatusCode);

        var now = await (await client.GetAsync(url)).JsonAsync();
        Assert.Equal("fault", (string)now["properties"]!["status"]!);
    }

    [Fact]
    public async Task GridEdit_KeepsHistoryAndRecountsHouseholds()
    {
        var client = _api.Planner();
        // Two buildings: one inside the first grid outline, one outside it.
        foreach (var (lon, households) in new[] { (117.8800, 120), (117.8900, 80) })
        {
            var response = await client.PostAsync("/collections/buildings/items",
                Http.GeoJson(Http.Square(lon, 31.60, 0.0002, $$"""{"households":{{households}},"households_estimated":false,"levels":6}""")));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        var grid = await client.PostAsync("/collections/grids/items",
            Http.GeoJson(Http.Square(117.8800, 31.60, 0.002, """{"name":"第一网格","code":"G1","households":9999}""")));
        Assert.Equal(HttpStatusCode.Created, grid.StatusCode);
        Assert.Equal(120, (int)(await grid.JsonAsync())["properties"]!["households"]!);

        var url = grid.Headers.Location!.PathAndQuery;
        var request = new HttpRequestMessage(HttpMethod.Put, url)
        {
            Content = Http.GeoJson(Http.Square(117.8850, 31.60, 0.006, """{"name":"第一网格","code":"G1"}""")),
        };
        request.Headers.TryAddWithoutValidation("If-Match", grid.ETag());
        request.Headers.Add("X-Change-Reason", Uri.EscapeDataString("并入相邻楼栋"));
        var replaced = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal(200, (int)(await replaced.JsonAsync())["properties"]!["households"]!);

        var gridId = url.Split('/').Last();
        Assert.Equal(1L, await _api.ScalarAsync<long>($"SELECT count(*) FROM grid_history WHERE grid_id = {gridId}"));
        Assert.Equal("张规划 (planner)", await _api.ScalarAsync<string>($"SELECT changed_by FROM grid_history WHERE grid_id = {gridId}"));
        Assert.Equal("并入相邻楼栋", await _api.ScalarAsync<string>($"SELECT change_reason FROM grid_history WHERE grid_id = {gridId}"));
        Assert.Equal(120L, await _api.ScalarAsync<long>($"SELECT (old_row->>'households')::bigint FROM grid_history WHERE grid_id = {gridId}"));

        var deleted = await client.SendAsync(HttpMethod.Delete, url, ifMatch: replaced.ETag());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal("DELETE", await _api.ScalarAsync<string>($"SELECT operation FROM grid_history WHERE grid_id = {gridId} ORDER BY history_id DESC LIMIT 1"));
    }

    [Fact]
    public async Task GridHeadPhone_MaskedForAnonymousShownToStaff()
    {
        var created = await _api.Planner().PostAsync("/collections/grids/items",
            Http.GeoJson(Http.Square(117.95, 31.65, 0.001, """{"name":"电话网格","grid_head":"王芳","grid_head_phone":"13812345678"}""")));
        var url = created.Headers.Location!.PathAndQuery;
        var anonymous = await (await _api.Anonymous().GetAsync(url)).JsonAsync();
        Assert.Equal("138****5678", (string)anonymous["properties"]!["grid_head_phone"]!);
        var viewer = await (await _api.WithKey(_api.ViewerKey).GetAsync(url)).JsonAsync();
        Assert.Equal("138****5678", (string)viewer["properties"]!["grid_head_phone"]!);
        var staff = await (await _api.WithKey(_api.StaffKey).GetAsync(url)).JsonAsync();
        Assert.Equal("13812345678", (string)staff["properties"]!["grid_head_phone"]!);
    }

    [Fact]
    public async Task Write_ByViewerIs403AndAnonymousIs401_NothingWritten()
    {
        var body = Http.PointFeature(117.88, 31.60, """{"name":"无权限"}""");
        var viewer = await _api.WithKey(_api.ViewerKey).PostAsync("/collections/stations/items", Http.GeoJson(body));
        Assert.Equal(HttpStatusCode.Forbidden, viewer.StatusCode);
        var anonymous = await _api.Anonymous().PostAsync("/collections/stations/items", Http.GeoJson(body));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var badKey = await _api.WithKey("gm_not_a_key").PostAsync("/collections/stations/items", Http.GeoJson(body));
        Assert.Equal(HttpStatusCode.Unauthorized, badKey.StatusCode);
        Assert.Equal(0L, await _api.ScalarAsync<long>("SELECT count(*) FROM stations WHERE name = '无权限'"));
    }
}
