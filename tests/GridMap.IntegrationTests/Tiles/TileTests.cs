using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using GridMap.Api.Tiles;
using GridMap.Data;
using GridMap.Data.Tiles;
using GridMap.Operations.Tiles;
using GridMap.IntegrationTests.Support;

namespace GridMap.IntegrationTests.Tiles;

[Collection("postgres")]
public sealed class TileTests(PostgresFixture postgres) : IAsyncLifetime
{
    private ApiTestContext _api = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiFactory.StartAsync(postgres, "tiles");
        await _api.ExecuteAsync(TileData.Sql);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static string Url(string layers, TileId tile) => $"/tiles/{layers}/{tile}.mvt";

    [Fact]
    public async Task GridTile_HasTheGridWithItsAttributesAtItsPosition()
    {
        var tile = TileData.TileAt(15, TileData.Lon, TileData.Lat);
        using var response = await _api.Anonymous().GetAsync(Url("grids", tile));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.mapbox-vector-tile", response.ContentType()?.MediaType);
        var layer = Assert.Single(MvtDecoder.Decode(await response.Content.ReadAsByteArrayAsync()));
        Assert.Equal("grids", layer.Name);
        Assert.Equal(4096u, layer.Extent);
        var grid = Assert.Single(layer.Features);
        Assert.Equal(1ul, grid.Id);
        Assert.Equal(MvtDecoder.Polygon, grid.Type);
        Assert.Equal("网格A", grid.Properties["name"]);
        Assert.Equal("G1", grid.Properties["code"]);
        Assert.Equal("王五", grid.Properties["grid_head"]);
        Assert.Equal(420L, Convert.ToInt64(grid.Properties["households"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(grid.Properties.ContainsKey("grid_head_phone"));
        // The ring's corners are the square's corners, in tile units (±1 for rounding).
        var ring = Assert.Single(grid.Parts);
        var expected = new[] { (116.309, 39.979), (116.311, 39.979), (116.311, 39.981), (116.309, 39.981) }
            .Select(c => TileData.InTile(tile, c.Item1, c.Item2)).ToList();
        foreach (var (x, y) in expected)
            Assert.Contains(ring, p => Math.Abs(p.X - x) <= 1 && Math.Abs(p.Y - y) <= 1);
        Assert.Equal(5, ring.Count);
    }

    [Fact]
    public async Task CompositeTile_HasEachLayer_AndPointsAreExact()
    {
        var tile = TileData.TileAt(16, TileData.Lon, TileData.Lat);
        using var response = await _api.Anonymous().GetAsync(Url("roads,buildings,grids,stations", tile));

        var layers = MvtDecoder.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(["roads", "buildings", "grids", "stations"], layers.Select(l => l.Name));
        Assert.Equal(2, layers[0].Features.Count);
        Assert.All(layers[0].Features, f => Assert.Equal(MvtDecoder.LineString, f.Type));
        Assert.Equal([1ul, 2ul], layers[1].Features.Select(f => f.Id!.Value).Order());
        Assert.Equal(300L, layers[1].Features.Single(f => f.Id == 2).Properties["households"]);
        var station = Assert.Single(layers[3].Features);
        Assert.Equal("中关村服务站", station.Properties["name"]);
        Assert.Equal(350.0, station.Properties["floor_area_m2"]);
        var (x, y) = TileData.InTile(tile, 116.3101, 39.9801);
        var point = Assert.Single(Assert.Single(station.Parts));
        Assert.True(Math.Abs(point.X - x) <= 1 && Math.Abs(point.Y - y) <= 1, $"station at {point}, expected ({x:F1}, {y:F1})");
    }

    [Fact]
    public async Task HeatmapTile_HasWalkTimeAndHouseholds()
    {
        // The heatmap is derived: the coverage worker writes it from the roads, the station and the buildings.
        await Coverage.CoverageVersion.WaitAsync(_api);
        var tile = TileData.TileAt(14, TileData.Lon, TileData.Lat);
        var bytes = await _api.Anonymous().GetByteArrayAsync(Url("heatmap", tile));

        var cells = Assert.Single(MvtDecoder.Decode(bytes)).Features;
        Assert.Equal(420L, cells.Sum(c => Convert.ToInt64(c.Properties["households"], System.Globalization.CultureInfo.InvariantCulture))); // buildings 1 and 2
        // The cell around the station: its centre may lie up to half a 100 m cell off the roads, and that leg
        // is walked too, so its time is within two minutes rather than one.
        Assert.Contains(cells, c => c.Properties.TryGetValue("walk_seconds", out var seconds) && Convert.ToDouble(seconds, System.Globalization.CultureInfo.InvariantCulture) < 120);
    }

    [Fact]
    public async Task Cameras_AreClusteredBelowZoom15_AndSingleAbove()
    {
        var low = TileData.TileAt(12, TileData.Lon, TileData.Lat);
        using var lowResponse = await _api.Anonymous().GetAsync(Url("cameras", low));
        var clusters = Assert.Single(MvtDecoder.Decode(await lowResponse.Content.ReadAsByteArrayAsync())).Features;
        Assert.InRange(clusters.Count, 1, 100); // 2,500 cameras in ~1 km², cells of 1/64 tile
        var (west, south, east, north) = TileMath.Bounds(low);
        var inTile = await _api.ScalarAsync<long>(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"SELECT count(*) FROM cameras WHERE ST_Intersects(geom, ST_MakeEnvelope({west}, {south}, {east}, {north}, 4326))"));
        Assert.True(inTile > 1000);
        Assert.Equal(inTile, clusters.Sum(c => Convert.ToInt64(c.Properties["point_count"], System.Globalization.CultureInfo.InvariantCulture)));

        var high = TileData.TileAt(17, TileData.Lon, TileData.Lat);
        using var highResponse = await _api.Anonymous().GetAsync(Url("cameras", high));
        var cameras = Assert.Single(MvtDecoder.Decode(await highResponse.Content.ReadAsByteArrayAsync())).Features;
        Assert.All(cameras, c => Assert.Equal("online", c.Properties["status"]));
        Assert.DoesNotContain(cameras, c => c.Properties.ContainsKey("point_count"));
        Assert.True(cameras.Count > 50);
    }

    [Fact]
    public async Task EmptyTiles_Are204()
    {
        var client = _api.Anonymous();
        using var nothingThere = await client.GetAsync(Url("grids", TileData.TileAt(15, 10.0, 50.0)));
        Assert.Equal(HttpStatusCode.NoContent, nothingThere.StatusCode);
        // Buildings start at z14: the same place at z10 is empty, not an error.
        using var belowMinZoom = await client.GetAsync(Url("buildings", TileData.TileAt(10, TileData.Lon, TileData.Lat)));
        Assert.Equal(HttpStatusCode.NoContent, belowMinZoom.StatusCode);
    }

    [Theory]
    [InlineData("/tiles/grids/23/0/0.mvt", 400, "z")]
    [InlineData("/tiles/grids/-1/0/0.mvt", 400, "z")]
    [InlineData("/tiles/grids/abc/0/0.mvt", 400, "z")]
    [InlineData("/tiles/grids/3/8/0.mvt", 400, "x")]
    [InlineData("/tiles/grids/3/0/8.mvt", 400, "y")]
    [InlineData("/tiles/grids/3/0/y.mvt", 400, "y")]
    [InlineData("/tiles/nowhere/3/0/0.mvt", 404, "layer")]
    [InlineData("/tiles/grids,grids/3/0/0.mvt", 400, "layer")]
    [InlineData("/tiles/grids/3/0/0.png", 404, "format")]
    [InlineData("/tiles/nowhere.json", 404, "layer")]
    public async Task BadTileRequests_AreProblemsNamingTheField(string url, int status, string field)
    {
        using var response = await _api.Anonymous().GetAsync(url);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.ContentType()?.MediaType);
        Assert.Equal(field, (string?)(await response.JsonAsync())["field"]);
    }

    [Fact]
    public async Task MalformedTilePath_Is404()
    {
        using var response = await _api.Anonymous().GetAsync("/tiles/grids/3/0");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Tiles_HaveETag_AndAnswer304()
    {
        var client = _api.Anonymous();
        var url = Url("grids", TileData.TileAt(14, TileData.Lon, TileData.Lat));
        using var first = await client.GetAsync(url);
        Assert.Equal("public, no-cache", first.Headers.CacheControl?.ToString());

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("If-None-Match", first.ETag());
        using var again = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Fact]
    public async Task EditThroughApi_ShowsOnNextTile_WhileFarTileStaysCached()
    {
        var client = _api.Anonymous();
        var near = Url("grids", TileData.TileAt(15, TileData.Lon, TileData.Lat));
        var far = Url("grids", TileData.TileAt(15, TileData.FarLon, TileData.FarLat));
        (await client.GetAsync(near)).Dispose();
        (await client.GetAsync(far)).Dispose();
        using (var cached = await client.GetAsync(near))
            Assert.True(cached.Headers.Age.HasValue, "the second request should come from the cache");

        var planner = _api.Planner();
        using var item = await planner.GetAsync("/collections/grids/items/1");
        using var patch = await planner.SendAsync(HttpMethod.Patch, "/collections/grids/items/1",
            """{"type":"Feature","properties":{"name":"网格A改"}}""", item.ETag());
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);

        using var after = await client.GetAsync(near);
        Assert.False(after.Headers.Age.HasValue, "the edited tile must be evicted");
        var grid = Assert.Single(Assert.Single(MvtDecoder.Decode(await after.Content.ReadAsByteArrayAsync())).Features);
        Assert.Equal("网格A改", grid.Properties["name"]);
        using var farAfter = await client.GetAsync(far);
        Assert.True(farAfter.Headers.Age.HasValue, "a far tile must stay cached");
    }

    [Fact]
    public async Task MovingAGrid_EvictsTheOldAndTheNewPlace()
    {
        var client = _api.Anonymous();
        var oldPlace = Url("grids", TileData.TileAt(15, TileData.Lon, TileData.Lat));
        var newPlace = Url("grids", TileData.TileAt(15, 116.40, 39.95));
        using (var before = await client.GetAsync(newPlace))
            Assert.Equal(HttpStatusCode.NoContent, before.StatusCode);
        (await client.GetAsync(oldPlace)).Dispose();

        var planner = _api.Planner();
        using var item = await planner.GetAsync("/collections/grids/items/1");
        using var patch = await planner.SendAsync(HttpMethod.Patch, "/collections/grids/items/1",
            Http.Square(116.40, 39.95, 0.001, "{}"), item.ETag());
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);

        using var oldAfter = await client.GetAsync(oldPlace);
        Assert.Equal(HttpStatusCode.NoContent, oldAfter.StatusCode);
        using var newAfter = await client.GetAsync(newPlace);
        Assert.Equal(HttpStatusCode.OK, newAfter.StatusCode);
        Assert.Equal(1ul, Assert.Single(Assert.Single(MvtDecoder.Decode(await newAfter.Content.ReadAsByteArrayAsync())).Features).Id);
    }

    [Fact]
    public async Task WriteOutsideTheApi_IsEvictedThroughNotify()
    {
        var client = _api.Anonymous();
        var url = Url("buildings", TileData.TileAt(16, TileData.Lon, TileData.Lat));
        (await client.GetAsync(url)).Dispose();

        await _api.ExecuteAsync("UPDATE buildings SET households = 999 WHERE id = 1");

        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.GetAsync(url);
            var buildings = Assert.Single(MvtDecoder.Decode(await response.Content.ReadAsByteArrayAsync())).Features;
            if (Equals(buildings.Single(f => f.Id == 1).Properties["households"], 999L))
                break;
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "the import's change did not show within 5 s");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task TileJson_DescribesLayersFieldsAndBounds()
    {
        var json = await (await _api.Anonymous().GetAsync("/tiles/grids,cameras.json")).JsonAsync();

        Assert.Equal("3.0.0", (string?)json["tilejson"]);
        Assert.Matches(@"^http://[^/]+/tiles/grids,cameras/\{z\}/\{x\}/\{y\}\.mvt$", (string?)json["tiles"]![0]);
        var layers = json["vector_layers"]!.AsArray();
        Assert.Equal(["grids", "cameras"], layers.Select(l => (string?)l!["id"]));
        Assert.Equal("Number", (string?)layers[0]!["fields"]!["households"]);
        Assert.Equal("Number", (string?)layers[1]!["fields"]!["point_count"]);
        var bounds = json["bounds"]!.AsArray().Select(b => (double)b!).ToArray();
        Assert.Equal(116.305, bounds[0], 3);
        Assert.Equal(116.501, bounds[2], 3);
    }

    [Fact]
    public async Task Style_UsesOnlyOurTiles()
    {
        var client = _api.Anonymous();
        var text = await client.GetStringAsync("/styles/default.json");
        var style = JsonNode.Parse(text)!;

        Assert.Equal(8, (int)style["version"]!);
        Assert.Null(style["glyphs"]);
        var host = client.BaseAddress!.Authority;
        foreach (var url in System.Text.RegularExpressions.Regex.Matches(text, "https?://[^\"]+").Select(m => m.Value))
            Assert.Contains(host, url);
        var tileUrl = (string)style["sources"]!["gridmap"]!["tiles"]![0]!;
        var sourceLayers = style["layers"]!.AsArray().Select(l => (string?)l!["source-layer"]).Where(s => s is not null).Distinct();
        Assert.All(sourceLayers, id => Assert.NotNull(TileLayers.Find(id!)));
        // The source's tile URL serves a tile with the layers the style draws.
        var tile = TileData.TileAt(16, TileData.Lon, TileData.Lat);
        var path = new Uri(tileUrl.Replace("{z}/{x}/{y}", tile.ToString(), StringComparison.Ordinal)).PathAndQuery;
        var names = MvtDecoder.Decode(await client.GetByteArrayAsync(path)).Select(l => l.Name).ToList();
        Assert.Contains("grids", names);
        Assert.Contains("buildings", names);
        Assert.Contains("roads", names);
    }

    [Fact]
    public async Task Style_IsWhatTheLayerDeclarationWrites_AndNamesTheCollections()
    {
        var client = _api.Anonymous();
        var style = JsonNode.Parse(await client.GetStringAsync("/styles/default.json"))!;
        var collections = JsonNode.Parse(await client.GetStringAsync("/collections"))!["collections"]!.AsArray();

        var declared = TileStyle.Default(client.BaseAddress!.ToString().TrimEnd('/'), null);
        Assert.True(JsonNode.DeepEquals(declared["layers"], style["layers"]), "served style layers differ from the declaration");
        Assert.True(JsonNode.DeepEquals(declared["metadata"], style["metadata"]), "served style metadata differs from the declaration");
        Assert.Equal(GridMap.Data.Layers.All.Select(l => l.Id), collections.Select(c => (string?)c!["id"]));
        Assert.Equal(TileLayers.All.Select(l => l.Id), collections.Select(c => (string?)c!["id"]));
    }

    [SkippableFact]
    public async Task OgrInfo_ReadsATile()
    {
        RequiredTool.Require("/usr/bin/ogrinfo", "gdal-bin");
        var tile = TileData.TileAt(16, TileData.Lon, TileData.Lat);
        var bytes = await _api.Anonymous().GetByteArrayAsync(Url("grids,buildings", tile));
        // GDAL georeferences a tile from its …/z/x/y.mvt path.
        var folder = Path.Combine(Path.GetTempPath(), "gridmap-ogr-" + Guid.NewGuid().ToString("N")[..8]);
        var file = Path.Combine(folder, tile.Z.ToString(System.Globalization.CultureInfo.InvariantCulture),
            tile.X.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{tile.Y}.mvt");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllBytesAsync(file, bytes);
        try
        {
            var start = new ProcessStartInfo("ogrinfo", ["-ro", "-al", file]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("Layer name: grids", output);
            Assert.Contains("Layer name: buildings", output);
            Assert.Contains("网格A", output);
            Assert.Contains("households (Integer", output.Replace("Integer64", "Integer", StringComparison.Ordinal));
            // Georeferenced: the grid's square lies around 116.31 E, 39.98 N (GDAL reports Web Mercator).
            Assert.Contains("12947", output); // x ≈ 12,947,xxx m
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
