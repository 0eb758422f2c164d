using System.Net;
using System.Text;
using GridMap.IntegrationTests.Support;

namespace GridMap.IntegrationTests.Api;

/// PATCH takes an RFC 7396 merge patch of the feature, as OGC API – Features Part 4 says (issue 12 item 7).
[Collection("postgres")]
public sealed class MergePatchTests(PostgresFixture postgres) : IAsyncLifetime
{
    private ApiTestContext _api = null!;

    public async Task InitializeAsync() => _api = await ApiFactory.StartAsync(postgres, "merge_patch");

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Theory]
    [InlineData("application/merge-patch+json")]
    [InlineData("application/geo+json")]
    [InlineData("application/json")]
    public async Task Patch_PropertiesAloneWithoutType_ChangesOnlyThoseMembers(string contentType)
    {
        var (url, etag) = await CreateStationAsync();

        var patched = await PatchAsync(url, """{"properties":{"name":"金湖驿站"}}""", etag, contentType);

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var feature = await patched.JsonAsync();
        Assert.Equal("金湖驿站", (string)feature["properties"]!["name"]!);
        Assert.Equal("08:30-17:30", (string)feature["properties"]!["opening_hours"]!);
        Assert.Equal(420, (double)feature["properties"]!["floor_area_m2"]!);
        Assert.Equal(117.88, (double)feature["geometry"]!["coordinates"]![0]!, 6);
    }

    [Fact]
    public async Task Patch_NullProperty_ClearsANullableColumn()
    {
        var (url, etag) = await CreateStationAsync();

        var patched = await PatchAsync(url, """{"properties":{"opening_hours":null,"floor_area_m2":null}}""", etag);

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var properties = (await patched.JsonAsync())["properties"]!;
        Assert.Null(properties["opening_hours"]);
        Assert.Null(properties["floor_area_m2"]);
        Assert.Equal("金湖社区党群服务中心", (string)properties["name"]!);
    }

    [Theory]
    [InlineData("""{"properties":{"name":null}}""", "properties.name")]
    [InlineData("""{"geometry":null}""", "geometry")]
    [InlineData("""{"properties":null}""", "properties")]
    [InlineData("""{"type":"FeatureCollection","properties":{"name":"x"}}""", "type")]
    [InlineData("""{"properties":{"nickname":"x"}}""", "properties.nickname")]
    [InlineData("""{"geometry":{"type":"Point","coordinates":["x",31.6]}}""", "geometry.coordinates[0]")]
    [InlineData("""[]""", "body")]
    public async Task Patch_RemovingWhatMustStayOrBadMember_Is400NamingIt(string patch, string field)
    {
        var (url, etag) = await CreateStationAsync();

        var response = await PatchAsync(url, patch, etag);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (string)(await response.JsonAsync())["field"]!);
        var unchanged = await (await _api.Anonymous().GetAsync(url)).JsonAsync();
        Assert.Equal("金湖社区党群服务中心", (string)unchanged["properties"]!["name"]!);
    }

    [Fact]
    public async Task Patch_NullOnANotNullColumnWithoutRequiredFlag_Is400NamingIt()
    {
        var created = await _api.Planner().PostAsync("/collections/buildings/items",
            Http.GeoJson(Http.Square(117.88, 31.60, 0.0002, """{"code":"B1","levels":6,"households":40}""")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var response = await PatchAsync(created.Headers.Location!.PathAndQuery, """{"properties":{"households":null}}""", created.ETag());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("properties.households", (string)(await response.JsonAsync())["field"]!);
    }

    [Fact]
    public async Task Patch_GeometryOnly_MovesTheFeatureAndKeepsProperties()
    {
        var (url, etag) = await CreateStationAsync();

        var patched = await PatchAsync(url, """{"geometry":{"type":"Point","coordinates":[117.881,31.601]}}""", etag);

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var feature = await patched.JsonAsync();
        Assert.Equal(117.881, (double)feature["geometry"]!["coordinates"]![0]!, 6);
        Assert.Equal("金湖社区党群服务中心", (string)feature["properties"]!["name"]!);
    }

    private async Task<(string Url, string ETag)> CreateStationAsync()
    {
        var created = await _api.Planner().PostAsync("/collections/stations/items", Http.GeoJson(Http.PointFeature(117.88, 31.60,
            """{"name":"金湖社区党群服务中心","kind":"center","floor_area_m2":420,"opening_hours":"08:30-17:30"}""")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (created.Headers.Location!.PathAndQuery, created.ETag());
    }

    private async Task<HttpResponseMessage> PatchAsync(string url, string body, string etag,
        string contentType = "application/merge-patch+json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, url) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return await _api.Planner().SendAsync(request);
    }
}
