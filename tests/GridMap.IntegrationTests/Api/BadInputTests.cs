using System.Net;
using GridMap.IntegrationTests.Support;

namespace GridMap.IntegrationTests.Api;

/// Every user mistake gets a 4xx problem+json naming the field, and nothing is written.
[Collection("postgres")]
public sealed class BadInputTests(PostgresFixture postgres) : IAsyncLifetime
{
    private ApiTestContext _api = null!;

    public async Task InitializeAsync() => _api = await ApiFactory.StartAsync(postgres, "bad_input");

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public static TheoryData<string, string, string, int> BadBodies => new()
    {
        { "grids", "{\"type\":\"Feature\",", "body", 400 },
        { "grids", "[1,2,3]", "body", 400 },
        { "grids", """{"type":"FeatureCollection","features":[]}""", "type", 400 },
        { "grids", """{"type":"Feature","properties":{"name":"x"}}""", "geometry", 400 },
        { "grids", Http.PointFeature(117.88, 31.6, """{"name":"x"}"""), "geometry", 400 },
        { "stations", Http.Square(117.88, 31.6, 0.001, """{"name":"x"}"""), "geometry", 400 },
        // A bow tie: self-intersecting.
        { "grids", """{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[117.88,31.6],[117.89,31.61],[117.89,31.6],[117.88,31.61],[117.88,31.6]]]},"properties":{"name":"x"}}""", "geometry", 400 },
        { "grids", """{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[]},"properties":{"name":"x"}}""", "geometry", 400 },
        { "grids", """{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[117.88,31.6],[117.89,31.6],[117.88,31.6]]]},"properties":{"name":"x"}}""", "geometry.coordinates[0]", 400 },
        { "stations", Http.PointFeature(190, 31.6, """{"name":"x"}"""), "geometry", 400 },
        { "stations", Http.PointFeature(117.88, 95, """{"name":"x"}"""), "geometry", 400 },
        { "stations", """{"type":"Feature","geometry":{"type":"Point","coordinates":[NaN,31.6]},"properties":{"name":"x"}}""", "body", 400 },
        { "stations", """{"type":"Feature","geometry":{"type":"Point","coordinates":["NaN",31.6]},"properties":{"name":"x"}}""", "geometry.coordinates[0]", 400 },
        { "stations", """{"type":"Feature","geometry":{"type":"Point","coordinates":[1e400,31.6]},"properties":{"name":"x"}}""", "geometry.coordinates[0]", 400 },
        { "stations", """{"type":"Feature","geometry":{"type":"Circle","coordinates":[117.88,31.6]},"properties":{"name":"x"}}""", "geometry.type", 400 },
        { "stations", Http.PointFeature(117.88, 31.6, """{"kind":"center"}"""), "properties.name", 400 },
        { "stations", Http.PointFeature(117.88, 31.6, """{"name":"x","kind":"palace"}"""), "properties.kind", 400 },
        { "stations", Http.PointFeature(117.88, 31.6, """{"name":"x","floor_area_m2":"big"}"""), "properties.floor_area_m2", 400 },
        { "stations", Http.PointFeature(117.88, 31.6, """{"name":"x","floor_area_m2":-5}"""), "properties.floor_area_m2", 400 },
        { "stations", Http.PointFeature(117.88, 31.6, """{"name":"x","colour":"red"}"""), "properties.colour", 400 },
        { "buildings", Http.Square(117.88, 31.6, 0.0001, """{"households":1.5}"""), "properties.households", 400 },
        { "buildings", Http.Square(117.88, 31.6, 0.0001, """{"compound_id":424242}"""), "properties.compound_id", 400 },
        { "buildings", Http.Square(117.88, 31.6, 0.0001, """{"households":null}"""), "properties.households", 400 },
        { "buildings", Http.Square(117.88, 31.6, 0.0001, """{"households":"'; DROP TABLE buildings; --"}"""), "properties.households", 400 },
        // A grid the size of a country: valid shape, not a city's data.
        { "grids", Http.Square(110, 35, 5, """{"name":"x"}"""), "geometry", 400 },
        { "stations", """{"type":"Feature","geometry":{"type":"Point","coordinates":[117.88,31.6,1,2]},"properties":{"name":"x"}}""", "geometry.coordinates", 400 },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Create_BadBody_ProblemNamesFieldAndWritesNothing(string layer, string body, string field, int status)
    {
        var before = await _api.ScalarAsync<long>($"SELECT count(*) FROM {layer}");
        var response = await _api.Planner().PostAsync($"/collections/{layer}/items", Http.GeoJson(body));
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.ContentType()!.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(field, (string)problem["field"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["detail"]));
        Assert.Equal(before, await _api.ScalarAsync<long>($"SELECT count(*) FROM {layer}"));
    }

    [Fact]
    public async Task Create_WrongContentType_Is415()
    {
        var response = await _api.Planner().PostAsync("/collections/stations/items",
            new StringContent("name=x", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("Content-Type", (string)(await response.JsonAsync())["field"]!);
    }

    [Fact]
    public async Task Create_BodyOver20MB_Is413()
    {
        var big = new string(' ', 21 * 1024 * 1024);
        var response = await _api.Planner().PostAsync("/collections/stations/items",
            Http.GeoJson(Http.PointFeature(117.88, 31.6, $$"""{"name":"x{{big}}"}""")));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0L, await _api.ScalarAsync<long>("SELECT count(*) FROM stations"));
    }

    [Fact]
    public async Task Create_UnknownCoords_Is400NamingCoords()
    {
        var response = await _api.Planner().PostAsync("/collections/stations/items?coords=mars",
            Http.GeoJson(Http.PointFeature(117.88, 31.6, """{"name":"x"}""")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("coords", (string)(await response.JsonAsync())["field"]!);
    }

    [Theory]
    [InlineData("/collections/nowhere/items", 404, null)]
    [InlineData("/collections/nowhere", 404, null)]
    [InlineData("/collections/grids/items/abc", 404, null)]
    [InlineData("/collections/grids/items/999999", 404, null)]
    [InlineData("/collections/grids/items?limit=0", 400, "limit")]
    [InlineData("/collections/grids/items?limit=10001", 400, "limit")]
    [InlineData("/collections/grids/items?limit=ten", 400, "limit")]
    [InlineData("/collections/grids/items?offset=-1", 400, "offset")]
    [InlineData("/collections/grids/items?bbox=1,2,3", 400, "bbox")]
    [InlineData("/collections/grids/items?bbox=1,2,3,x", 400, "bbox")]
    [InlineData("/collections/grids/items?bbox=10,10,5,5", 400, "bbox")]
    [InlineData("/collections/grids/items?bbox=-200,0,0,0", 400, "bbox")]
    [InlineData("/collections/grids/items?bbox=1,2,3,4&bbox-crs=EPSG:9999", 400, "bbox-crs")]
    [InlineData("/collections/grids/items?crs=http://www.opengis.net/def/crs/EPSG/0/3857", 400, "crs")]
    [InlineData("/collections/grids/items?colour=red", 400, "colour")]
    [InlineData("/collections/grids/items?community=abc", 400, "community")]
    [InlineData("/collections/grids/items?f=xml", 400, "f")]
    public async Task Read_BadParameters_ProblemNamesField(string url, int status, string? field)
    {
        var response = await _api.Anonymous().GetAsync(url);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.ContentType()!.MediaType);
        if (field is not null)
            Assert.Equal(field, (string)(await response.JsonAsync())["field"]!);
    }

    [Fact]
    public async Task DatabaseDown_Is503WithRetryAfter()
    {
        // A port nobody listens on: the service must answer 503, not 500, and not hang.
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var down = new ApiFactory($"Host=127.0.0.1;Port={port};Username=postgres;Database=gridmap;Timeout=2");
        // The service migrates on start; with the database down it must still start and answer 503.
        var client = down.CreateClient();
        var response = await client.GetAsync("/collections/grids/items");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("application/problem+json", response.ContentType()!.MediaType);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }
}
