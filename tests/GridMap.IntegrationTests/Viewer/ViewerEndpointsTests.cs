using System.Net;
using GridMap.IntegrationTests.Support;

namespace GridMap.IntegrationTests.Viewer;

/// The viewer's helpers: a building move computed in PostGIS (then saved by the client with If-Match),
/// and a grid's history with the grid head's phone masked for anonymous readers.
[Collection("postgres")]
public sealed class ViewerEndpointsTests(PostgresFixture postgres) : IAsyncLifetime
{
    private ApiTestContext _api = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiFactory.StartAsync(postgres, "viewer_endpoints");
        // Two grids side by side, 0.01° each; two buildings in the west grid, one near the shared border.
        await _api.ExecuteAsync("""
            INSERT INTO buildings (id, households, geom) VALUES
              (1, 120, ST_Multi(ST_MakeEnvelope(117.8080, 31.6040, 117.8090, 31.6050, 4326))),
              (2, 200, ST_Multi(ST_MakeEnvelope(117.8010, 31.6040, 117.8020, 31.6050, 4326)));
            INSERT INTO grids (id, name, grid_head_phone, geom) VALUES
              (1, '西网格', '13812345678', ST_Multi(ST_MakeEnvelope(117.80, 31.60, 117.81, 31.61, 4326))),
              (2, '东网格', NULL, ST_Multi(ST_MakeEnvelope(117.81, 31.60, 117.82, 31.61, 4326)));
            """);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task MovePreview_BorderBuilding_MovesItsTerritoryAndKeepsBothGridsWhole()
    {
        var response = await _api.Anonymous().GetAsync("/grids/2/move-preview?building=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(120, (int)body["households"]!);
        Assert.Equal(1, (long)body["source"]!["id"]!);
        Assert.Equal(1, (int)body["target"]!["parts"]!);
        Assert.Equal(1, (int)body["source"]!["parts"]!);
        Assert.Equal(120, (int)body["target"]!["households"]!);
        Assert.Equal(200, (int)body["source"]!["households"]!);

        // Saving both geometries moves the households and leaves no gap or overlap.
        var planner = _api.Planner();
        var east = await planner.SendAsync(HttpMethod.Patch, "/collections/grids/items/2",
            $$"""{"type":"Feature","geometry":{{body["target"]!["geometry"]!.ToJsonString()}}}""", "\"1\"");
        var west = await planner.SendAsync(HttpMethod.Patch, "/collections/grids/items/1",
            $$"""{"type":"Feature","geometry":{{body["source"]!["geometry"]!.ToJsonString()}}}""", "\"1\"");
        Assert.Equal(HttpStatusCode.OK, east.StatusCode);
        Assert.Equal(HttpStatusCode.OK, west.StatusCode);
        Assert.Equal(120, await _api.ScalarAsync<int>("SELECT households FROM grids WHERE id = 2"));
        Assert.Equal(200, await _api.ScalarAsync<int>("SELECT households FROM grids WHERE id = 1"));
        Assert.Equal(0.0, await _api.ScalarAsync<double>(
            "SELECT ST_Area(ST_Intersection(a.geom, b.geom)::geography) FROM grids a, grids b WHERE a.id = 1 AND b.id = 2"), 3);
        Assert.Equal(0.0, await _api.ScalarAsync<double>(
            "SELECT ST_Area(ST_SymDifference(ST_Union(geom), ST_MakeEnvelope(117.80, 31.60, 117.82, 31.61, 4326))::geography) FROM grids"), 1);
    }

    [Theory]
    [InlineData("/grids/1/move-preview", HttpStatusCode.BadRequest, "building")]
    [InlineData("/grids/1/move-preview?building=x", HttpStatusCode.BadRequest, "building")]
    [InlineData("/grids/1/move-preview?building=999", HttpStatusCode.NotFound, "building")]
    [InlineData("/grids/1/move-preview?building=2", HttpStatusCode.BadRequest, "building")]
    public async Task MovePreview_BadInput_ProblemNamingTheField(string url, HttpStatusCode status, string field)
    {
        var response = await _api.Anonymous().GetAsync(url);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.ContentType()!.MediaType);
        Assert.Equal(field, (string)(await response.JsonAsync())["field"]!);
    }

    [Fact]
    public async Task History_AfterAnEdit_ListsTheOldVersionWithThePhoneMaskedForAnonymous()
    {
        var renamed = await _api.Planner().SendAsync(HttpMethod.Patch, "/collections/grids/items/1",
            """{"type":"Feature","properties":{"name":"新西网格"}}""", "*");
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);

        var anonymous = await (await _api.Anonymous().GetAsync("/grids/1/history")).JsonAsync();
        var signedIn = await (await _api.WithKey(_api.StaffKey).GetAsync("/grids/1/history")).JsonAsync();

        var version = anonymous["versions"]!.AsArray().Last()!;
        Assert.Equal("UPDATE", (string)version["operation"]!);
        Assert.Equal("西网格", (string)version["properties"]!["name"]!);
        Assert.Equal("138****5678", (string)version["properties"]!["grid_head_phone"]!);
        Assert.Equal("MultiPolygon", (string)version["geometry"]!["type"]!);
        Assert.Equal("13812345678", (string)signedIn["versions"]!.AsArray().Last()!["properties"]!["grid_head_phone"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Anonymous().GetAsync("/grids/77/history")).StatusCode);
    }

    [Fact]
    public async Task BoundaryPreview_CountsHouseholdsOfTheProposedPolygonAndFlagsACrossedRing()
    {
        // The west grid stretched east to 117.815 takes building 1 (120) and keeps building 2 (200).
        var stretched = await _api.Planner().PostAsync("/grids/1/preview", Http.GeoJson(
            """{"geometry":{"type":"Polygon","coordinates":[[[117.80,31.60],[117.815,31.60],[117.815,31.61],[117.80,31.61],[117.80,31.60]]]}}"""));
        var bowtie = await _api.Planner().PostAsync("/grids/1/preview", Http.GeoJson(
            """{"geometry":{"type":"Polygon","coordinates":[[[117.80,31.60],[117.81,31.61],[117.81,31.60],[117.80,31.61],[117.80,31.60]]]}}"""));

        Assert.Equal(HttpStatusCode.OK, stretched.StatusCode);
        var body = await stretched.JsonAsync();
        Assert.True((bool)body["valid"]!);
        Assert.Equal(320, (int)body["households"]!);
        Assert.Equal(1, (int)body["parts"]!);
        Assert.Equal(HttpStatusCode.OK, bowtie.StatusCode);
        var crossed = await bowtie.JsonAsync();
        Assert.False((bool)crossed["valid"]!);
        Assert.Null(crossed["households"]);
        Assert.Contains("intersection", (string)crossed["reason"]!, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"geometry":null}""")]
    [InlineData("""{"geometry":{"type":"Polygon","coordinates":"x"}}""")]
    [InlineData("""{"geometry":{"type":"Point","coordinates":[117.8,31.6]}}""")]
    public async Task BoundaryPreview_BadInput_ProblemNamingTheGeometry(string json)
    {
        var response = await _api.Planner().PostAsync("/grids/1/preview", Http.GeoJson(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.ContentType()!.MediaType);
        Assert.Equal("geometry", (string)(await response.JsonAsync())["field"]!);
    }
}
