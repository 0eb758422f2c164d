using System.Net;
using System.Text.Json.Nodes;
using GridMap.Geo;
using GridMap.IntegrationTests.Support;

namespace GridMap.IntegrationTests.Api;

[Collection("postgres")]
public sealed class FeatureQueryTests(PostgresFixture postgres) : IAsyncLifetime
{
    private ApiTestContext _api = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiFactory.StartAsync(postgres, "feature_query");
        // 25 cameras on a line of longitudes 117.800..117.824, alternating status.
        await _api.ExecuteAsync("""
            INSERT INTO cameras (name, status, geom)
            SELECT '摄像头' || i, CASE WHEN i % 2 = 0 THEN 'online' ELSE 'offline' END,
                   ST_SetSRID(ST_MakePoint(117.8 + i * 0.001, 31.6), 4326)
            FROM generate_series(0, 24) i
            """);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Items_Paging_FollowsNextAndPrevLinks()
    {
        var client = _api.Anonymous();
        var page = await (await client.GetAsync("/collections/cameras/items?limit=10")).JsonAsync();
        Assert.Equal(25, (int)page["numberMatched"]!);
        Assert.Equal(10, (int)page["numberReturned"]!);
        Assert.Null(Link(page, "prev"));
        var seen = Ids(page);
        while (Link(page, "next") is { } next)
        {
            page = await (await client.GetAsync(next)).JsonAsync();
            seen.AddRange(Ids(page));
        }
        Assert.Equal(25, seen.Distinct().Count());
        Assert.Equal(5, (int)page["numberReturned"]!);
        Assert.Contains("offset=10", Link(page, "prev")!);
    }

    [Fact]
    public async Task Items_BboxAndFilter_SelectExactly()
    {
        var client = _api.Anonymous();
        var inBox = await (await client.GetAsync("/collections/cameras/items?bbox=117.8095,31.59,117.8145,31.61")).JsonAsync();
        Assert.Equal(5, (int)inBox["numberMatched"]!); // 117.810 .. 117.814
        var online = await (await client.GetAsync("/collections/cameras/items?status=online&limit=100")).JsonAsync();
        Assert.Equal(13, (int)online["numberMatched"]!);
        Assert.All(online["features"]!.AsArray(), f => Assert.Equal("online", (string)f!["properties"]!["status"]!));
        // bbox-crs EPSG:4326 is latitude first.
        var latFirst = await (await client.GetAsync(
            "/collections/cameras/items?bbox=31.59,117.8095,31.61,117.8145&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4326")).JsonAsync();
        Assert.Equal(5, (int)latFirst["numberMatched"]!);
    }

    [Fact]
    public async Task Items_CrsCgcs2000_IsLatitudeFirstWithContentCrs()
    {
        var response = await _api.Anonymous().GetAsync(
            "/collections/cameras/items?limit=1&crs=http://www.opengis.net/def/crs/EPSG/0/4490");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("<http://www.opengis.net/def/crs/EPSG/0/4490>", response.Headers.GetValues("Content-Crs").Single());
        var coordinates = (await response.JsonAsync())["features"]![0]!["geometry"]!["coordinates"]!;
        Assert.Equal(31.6, (double)coordinates[0]!, 6);
        Assert.Equal(117.8, (double)coordinates[1]!, 6);
    }

    [Fact]
    public async Task Items_GaussKrugerCrs_IsInMetres()
    {
        var response = await _api.Anonymous().GetAsync(
            "/collections/cameras/items?limit=1&crs=http://www.opengis.net/def/crs/EPSG/0/4548");
        var coordinates = (await response.JsonAsync())["features"]![0]!["geometry"]!["coordinates"]!;
        // CGCS2000 / 3-degree GK CM 117E: northing ~3.5 million metres, easting near the 500 km false easting.
        Assert.InRange((double)coordinates[0]!, 3_400_000, 3_600_000);
        Assert.InRange((double)coordinates[1]!, 500_000, 600_000);
    }

    [Theory]
    [InlineData("gcj02")]
    [InlineData("bd09")]
    public async Task Create_InChineseOffsetCoordinates_StoresWgs84WithinHalfMetre(string coords)
    {
        var system = coords == "gcj02" ? CoordinateSystem.Gcj02 : CoordinateSystem.Bd09;
        var wgs84 = GeometryFactories.Wgs84.CreatePoint(new NetTopologySuite.Geometries.Coordinate(117.8765, 31.6012));
        var offset = (NetTopologySuite.Geometries.Point)CoordinateConversion.FromWgs84(wgs84, system);
        var created = await _api.Planner().PostAsync($"/collections/stations/items?coords={coords}",
            Http.GeoJson(Http.PointFeature(offset.X, offset.Y, """{"name":"偏移坐标驿站","kind":"yizhan"}""")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var url = created.Headers.Location!.PathAndQuery;

        var id = url.Split('/').Last();
        var metres = await _api.ScalarAsync<double>(
            $"SELECT ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint(117.8765, 31.6012), 4326)::geography) FROM stations WHERE id = {id}");
        Assert.InRange(metres, 0, 0.5);

        var back = (await (await _api.Anonymous().GetAsync($"{url}?coords={coords}")).JsonAsync())["geometry"]!["coordinates"]!;
        Assert.Equal(offset.X, (double)back[0]!, 5);
        Assert.Equal(offset.Y, (double)back[1]!, 5);
    }

    [Fact]
    public async Task Landing_ConformanceAndCollections_DescribeTheApi()
    {
        var client = _api.Anonymous();
        var landing = await (await client.GetAsync("/?f=json")).JsonAsync();
        Assert.Contains(landing["links"]!.AsArray(), l => (string)l!["rel"]! == "service-desc");
        var api = await client.GetAsync((string)landing["links"]!.AsArray().First(l => (string)l!["rel"]! == "service-desc")!["href"]!);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal("3.0.3", (string)(await api.JsonAsync())["openapi"]!);
        var conformance = await (await client.GetAsync("/conformance")).JsonAsync();
        Assert.Contains(conformance["conformsTo"]!.AsArray(), c => ((string)c!).EndsWith("conf/geojson", StringComparison.Ordinal));
        var collections = await (await client.GetAsync("/collections")).JsonAsync();
        var ids = collections["collections"]!.AsArray().Select(c => (string)c!["id"]!).ToList();
        Assert.Equal(["streets", "communities", "grids", "compounds", "buildings", "stations", "cameras", "roads", "water"], ids.Take(9));
        Assert.Contains("coverage", ids);
        Assert.Contains("heatmap", ids);
        var cameras = collections["collections"]!.AsArray().First(c => (string)c!["id"]! == "cameras")!;
        Assert.Equal(117.8, (double)cameras["extent"]!["spatial"]!["bbox"]![0]![0]!, 6);
    }

    private static string? Link(JsonNode page, string rel) =>
        page["links"]!.AsArray().Where(l => (string)l!["rel"]! == rel).Select(l => (string)l!["href"]!).FirstOrDefault();

    private static List<long> Ids(JsonNode page) => page["features"]!.AsArray().Select(f => (long)f!["id"]!).ToList();
}
