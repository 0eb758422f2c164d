using System.Net;
using System.Text.Json.Nodes;
using GridMap.Geo;
using GridMap.IntegrationTests.Support;
using Microsoft.AspNetCore.Hosting;
using NetTopologySuite.Geometries;

namespace GridMap.IntegrationTests.Coverage;

/// GET /coverage, /nearest and /stations/{id}/isochrone on WalkTestCity, whose answers are known.
[Collection("postgres")]
public sealed class CoverageApiTests(PostgresFixture postgres) : IAsyncLifetime
{
    private ApiTestContext _api = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiFactory.StartAsync(postgres, "coverage_api");
        await _api.ExecuteAsync(WalkTestCity.Sql());
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Coverage_TestCity_KnownHouseholdsWithinEachThreshold()
    {
        var response = await _api.Anonymous().GetAsync("/coverage?minutes=5,10,15");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();

        Assert.Equal(1.11, (double)body["speed_mps"]!, 6);
        Assert.Equal([5, 10, 15], body["minutes"]!.AsArray().Select(m => (int)m!));
        var total = body["total"]!;
        Assert.Equal(2600, (long)total["households"]!);
        // 150 m (1 block) ≤ 333 m; 350/550 m from either station (9 blocks) ≤ 666 m; every lattice block ≤ 999 m.
        Assert.Equal(100, (long)total["within"]!["5"]!);
        Assert.Equal(900, (long)total["within"]!["10"]!);
        Assert.Equal(2500, (long)total["within"]!["15"]!);

        var grids = body["grids"]!.AsArray();
        Assert.Equal(["西网格", "东网格"], grids.Select(g => (string)g!["name"]!));
        Assert.Equal([1000L, 1500L], grids.Select(g => (long)g!["households"]!));
        Assert.Equal([100L, 0L], grids.Select(g => (long)g!["within"]!["5"]!));
        Assert.Equal([500L, 400L], grids.Select(g => (long)g!["within"]!["10"]!));
        Assert.Equal([1000L, 1500L], grids.Select(g => (long)g!["within"]!["15"]!));
        foreach (var area in body["streets"]!.AsArray().Concat(body["communities"]!.AsArray()).Concat(grids))
        {
            var within = area!["within"]!;
            Assert.True((long)within["5"]! <= (long)within["10"]! && (long)within["10"]! <= (long)within["15"]!
                        && (long)within["15"]! <= (long)area["households"]!);
            Assert.NotNull(area["id"]);
        }
        Assert.Equal(2500, (long)body["communities"]![0]!["households"]!);
        Assert.Equal(2500, (long)body["streets"]![0]!["within"]!["15"]!);

        var uncovered = Assert.Single(body["uncovered_compounds"]!.AsArray())!;
        Assert.Equal("远郊小区", (string)uncovered["name"]!);
        Assert.Equal(6, (long)uncovered["id"]!);
        Assert.Equal(100, (long)uncovered["households"]!);
        Assert.Equal(1200 / WalkTestCity.Speed, (double)uncovered["walk_seconds"]!, 0);
    }

    [Fact]
    public async Task Coverage_SlowerSpeed_FewerWithin()
    {
        var body = await (await _api.Anonymous().GetAsync("/coverage?minutes=10&speed=0.8")).JsonAsync();

        // 480 m in 10 minutes: only 150 m and 350 m blocks (1 + 2 + 1 from B's 350 m).
        Assert.Equal(400, (long)body["total"]!["within"]!["10"]!);
        Assert.Equal(0.8, (double)body["speed_mps"]!, 6);
    }

    [Fact]
    public async Task Coverage_StationAdded_WorkerRebuildsAndAnswerChanges()
    {
        var client = _api.Planner();
        var before = await (await client.GetAsync("/coverage")).JsonAsync();
        var (lon, lat) = WalkTestCity.LonLat(2200, 1010);
        var created = await client.PostAsync("/collections/stations/items",
            Http.GeoJson(Http.PointFeature(lon, lat, """{"name":"丙站","kind":"yizhan"}""")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var after = await (await CoverageVersion.WaitAsync(_api)).JsonAsync();

        Assert.Equal(100, (long)before["total"]!["within"]!["5"]!);
        Assert.Equal(200, (long)after["total"]!["within"]!["5"]!);
        Assert.Empty(after["uncovered_compounds"]!.AsArray());
    }

    [Fact]
    public async Task CoverageLayer_ReadWithoutAskingForCoverage_IsComputedAndFollowsEdits()
    {
        var client = _api.Anonymous();
        var coverage = await (await client.GetAsync("/collections/coverage/items?building_id=26")).JsonAsync();
        Assert.Equal(2, (long)coverage["features"]![0]!["properties"]!["station_id"]!);

        await _api.ExecuteAsync("DELETE FROM stations WHERE id = 2");
        coverage = await (await CoverageVersion.WaitAsync(_api, "/collections/coverage/items?building_id=26")).JsonAsync();
        Assert.Equal(1, (long)coverage["features"]![0]!["properties"]!["station_id"]!);
        Assert.True((long)(await (await client.GetAsync("/collections/heatmap/items?limit=1")).JsonAsync())["numberMatched"]! > 50);
    }

    [Fact]
    public async Task CoverageLayers_AfterCoverage_OneFeaturePerBuildingAndHeatmapCells()
    {
        var client = _api.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/coverage")).StatusCode);

        var coverage = await (await client.GetAsync("/collections/coverage/items?limit=100")).JsonAsync();
        Assert.Equal(26, (int)coverage["numberMatched"]!);
        var first = coverage["features"]!.AsArray().Select(f => f!["properties"]!).Single(p => (long)p!["building_id"]! == 1)!;
        Assert.Equal(1, (long)first["station_id"]!);
        Assert.Equal(150 / WalkTestCity.Speed, (double)first["walk_seconds"]!, 0);
        var far = coverage["features"]!.AsArray().Select(f => f!["properties"]!).Single(p => (long)p!["building_id"]! == 26)!;
        Assert.Equal(2, (long)far["station_id"]!);

        var heatmap = await (await client.GetAsync("/collections/heatmap/items?limit=10000")).JsonAsync();
        var cells = heatmap["features"]!.AsArray();
        Assert.True(cells.Count > 50);
        Assert.Equal(2600, cells.Sum(c => (long)c!["properties"]!["households"]!));
        Assert.Equal("MultiPolygon", (string)cells[0]!["geometry"]!["type"]!);
        Assert.All(cells.Select(c => c!["properties"]!["walk_seconds"]).Where(w => w is not null), w => Assert.True((double)w! >= 0));

        var write = await _api.Planner().PostAsync("/collections/coverage/items",
            Http.GeoJson(Http.Square(117.87, 31.6, 0.001, """{"building_id":1}""")));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, write.StatusCode);
        Assert.Equal("layerId", (string)(await write.JsonAsync())["field"]!);
    }

    [Fact]
    public async Task Heatmap_WiderCellsConfigured_FewerCellsSameHouseholds()
    {
        Assert.Equal(HttpStatusCode.OK, (await _api.Anonymous().GetAsync("/coverage")).StatusCode);
        var narrow = await _api.ScalarAsync<long>("SELECT count(*) FROM heatmap");
        using var wide = _api.Factory.WithWebHostBuilder(b => b.UseSetting("GridMap:HexWidthMeters", "200"));

        // Another instance's worker builds once at start and writes the layers with its own settings.
        Assert.Equal(HttpStatusCode.OK, (await wide.CreateClient().GetAsync("/coverage")).StatusCode);

        var cells = await _api.ScalarAsync<long>("SELECT count(*) FROM heatmap");
        Assert.InRange(cells, narrow / 6, narrow / 2);
        Assert.Equal(2600, await _api.ScalarAsync<long>("SELECT sum(households) FROM heatmap"));
    }

    [Fact]
    public async Task Nearest_PointInBlock_StationsByWalkWithRoutesFromPointToStation()
    {
        var (lon, lat) = WalkTestCity.LonLat(500, 520);

        var response = await _api.Anonymous().GetAsync(FormattableString.Invariant($"/nearest?lon={lon}&lat={lat}&k=2"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        var stations = body["stations"]!.AsArray();
        Assert.Equal([2L, 1L], stations.Select(s => (long)s!["id"]!));
        // Joins the street at y = 600 (80 m); B: 500 + 400 + 10 m; A: 500 + 600 + 10 m.
        Assert.Equal(990, (double)stations[0]!["distance_m"]!, 0);
        Assert.Equal(1190, (double)stations[1]!["distance_m"]!, 0);
        Assert.Equal(990 / WalkTestCity.Speed, (double)stations[0]!["walk_seconds"]!, 0);
        Assert.Equal("乙站", (string)stations[0]!["name"]!);
        var expectedEnds = new[] { WalkTestCity.LonLat(1000, 1010), WalkTestCity.LonLat(0, -10) };
        for (var i = 0; i < 2; i++)
        {
            var route = (LineString)GeoJson.ParseGeometry(stations[i]!["route"]!.ToJsonString());
            Assert.True(route.StartPoint.Distance(new Point(lon, lat)) < 1e-7);
            Assert.True(route.EndPoint.Distance(new Point(expectedEnds[i].Lon, expectedEnds[i].Lat)) < 1e-7);
            Assert.Equal((double)stations[i]!["distance_m"]!, GaussKruger.LengthMeters(route), 0);
        }
        Assert.Equal("东网格", (string)body["grid"]!["name"]!);
    }

    [Fact]
    public async Task Nearest_ByCompoundName_StartsFromCompound()
    {
        var body = await (await _api.Anonymous().GetAsync("/nearest?compound=远郊小区&k=1")).JsonAsync();

        var station = Assert.Single(body["stations"]!.AsArray())!;
        Assert.Equal(2, (long)station["id"]!);
        Assert.InRange((double)station["distance_m"]!, 1100, 1300);
        Assert.Null(body["grid"]);
    }

    [Fact]
    public async Task Isochrone_StationA_PolygonsNestedAndFollowTheStreets()
    {
        var response = await _api.Anonymous().GetAsync("/stations/1/isochrone?minutes=15,5,10");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var features = (await response.JsonAsync())["features"]!.AsArray();
        Assert.Equal([5, 10, 15], features.Select(f => (int)f!["properties"]!["minutes"]!));
        var polygons = features.Select(f => GaussKruger.Project(GeoJson.ParseGeometry(f!["geometry"]!.ToJsonString()), 4548)).ToList();
        for (var i = 0; i + 1 < polygons.Count; i++)
        {
            Assert.True(polygons[i].Difference(polygons[i + 1]).Area < 1, $"{i}: not inside the next");
            Assert.True(polygons[i].Area < polygons[i + 1].Area);
        }
        Point At(double x, double y) => new(WalkTestCity.OriginX + x, WalkTestCity.OriginY + y) { SRID = 4548 };
        Assert.True(polygons[0].Contains(At(300, 0)));    // 310 m along the street
        Assert.False(polygons[0].Contains(At(300, 300))); // middle of a block whose streets are 510 m away
        Assert.False(polygons[0].Contains(At(400, 0)));   // 410 m
        Assert.True(polygons[2].Contains(At(600, 380)));  // 990 m by way of the streets
        Assert.False(polygons[2].Contains(At(1000, 1000)));
    }

    public static TheoryData<string, string, int> BadRequests => new()
    {
        { "/coverage?minutes=abc", "minutes", 400 },
        { "/coverage?minutes=0", "minutes", 400 },
        { "/coverage?minutes=5,1000", "minutes", 400 },
        { "/coverage?speed=0", "speed", 400 },
        { "/coverage?speed=-1", "speed", 400 },
        { "/coverage?speed=50", "speed", 400 },
        { "/coverage?speed=NaN", "speed", 400 },
        { "/nearest?lat=31.6", "lon", 400 },
        { "/nearest?lon=117.87", "lat", 400 },
        { "/nearest?lon=200&lat=31.6", "lon", 400 },
        { "/nearest?lon=117.87&lat=95", "lat", 400 },
        { "/nearest?lon=117.87&lat=31.6&k=0", "k", 400 },
        { "/nearest?lon=117.87&lat=31.6&k=1000", "k", 400 },
        { "/nearest?lon=117.87&lat=31.6&k=x", "k", 400 },
        { "/nearest?lon=118.5&lat=31.6", "lon", 422 },
        { "/nearest?compound=没有这个小区", "compound", 404 },
        { "/stations/999/isochrone", "id", 404 },
        { "/stations/abc/isochrone", "id", 404 },
        { "/stations/1/isochrone?minutes=-5", "minutes", 400 },
        { "/stations/1/isochrone?speed=0", "speed", 400 },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadRequest_ProblemNamingTheParameter(string url, string field, int status)
    {
        var response = await _api.Anonymous().GetAsync(url);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.ContentType()?.MediaType);
        Assert.Equal(field, (string)(await response.JsonAsync())["field"]!);
    }
}

/// A city without stations, and one without roads: 422 naming what is missing, never 500.
[Collection("postgres")]
public sealed class CoverageMissingDataTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Coverage_NoStations_422NamingStations()
    {
        await using var api = await ApiFactory.StartAsync(postgres, "coverage_no_stations");
        await api.ExecuteAsync(WalkTestCity.Sql(stations: false));
        var (lon, lat) = WalkTestCity.LonLat(500, 520);

        foreach (var url in new[] { "/coverage", FormattableString.Invariant($"/nearest?lon={lon}&lat={lat}") })
        {
            var response = await api.Anonymous().GetAsync(url);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Equal("stations", (string)(await response.JsonAsync())["field"]!);
        }
    }

    [Fact]
    public async Task Coverage_NoRoads_422NamingRoads()
    {
        await using var api = await ApiFactory.StartAsync(postgres, "coverage_no_roads");
        await api.ExecuteAsync("INSERT INTO stations (name, geom) VALUES ('孤站', ST_SetSRID(ST_MakePoint(117.87, 31.6), 4326))");

        var coverage = await api.Anonymous().GetAsync("/coverage");
        var isochrone = await api.Anonymous().GetAsync("/stations/1/isochrone");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, coverage.StatusCode);
        Assert.Equal("roads", (string)(await coverage.JsonAsync())["field"]!);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, isochrone.StatusCode);
        Assert.Equal("roads", (string)(await isochrone.JsonAsync())["field"]!);
    }
}
