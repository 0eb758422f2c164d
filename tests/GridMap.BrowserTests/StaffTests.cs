using System.Globalization;
using System.Text.Json.Nodes;
using GridMap.BrowserTests.Support;

namespace GridMap.BrowserTests;

[Collection("browser")]
public sealed class StaffTests(ViewerFixture viewer)
{
    [SkippableFact]
    public async Task MapClick_StaffTab_ShowsNearestStationsWithRoutes()
    {
        var box = await MapPage.DoublesAsync(viewer.Api.ConnectionString, """
            SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e), ST_X(p), ST_Y(p)
            FROM (SELECT ST_Envelope(ST_Buffer(geom, 0.004)) AS e, ST_PointOnSurface(geom) AS p FROM compounds ORDER BY id LIMIT 1) c
            """);
        var page = await viewer.OpenViewerAsync();
        await page.ClickAsync("button[data-tab=staff]");
        await page.FitAsync(box[0], box[1], box[2], box[3]);

        await page.ActAndWaitAsync(() => page.ClickLonLatAsync(box[4], box[5]), "#nearest-list li");
        await page.IdleAsync();
        await viewer.ScreenshotAsync(page, "03-nearest-route");

        var clicked = await page.EvaluateAsync<string[]>("() => window.gridmap.state.lastNearest");
        var api = JsonNode.Parse(await viewer.Http().GetStringAsync($"/nearest?lon={clicked[0]}&lat={clicked[1]}&k=3"))!;
        var stations = api["stations"]!.AsArray();
        var items = page.Locator("#nearest-list li");
        Assert.Equal(stations.Count, await items.CountAsync());
        for (var i = 0; i < stations.Count; i++)
        {
            Assert.Equal(stations[i]!["id"]!.ToString(), await items.Nth(i).GetAttributeAsync("data-station-id"));
            Assert.Equal(stations[i]!["walk_seconds"]!.GetValue<double>(),
                double.Parse((await items.Nth(i).GetAttributeAsync("data-walk-seconds"))!, CultureInfo.InvariantCulture), 3);
            Assert.Contains(stations[i]!["name"]!.ToString(), await items.Nth(i).TextContentAsync() ?? "");
        }
        var routes = await page.EvaluateAsync<int>("() => window.gridmap.state.map.querySourceFeatures('routes').length");
        Assert.True(routes > 0, "the walking routes should be drawn");
        if (api["grid"] is JsonObject grid)
            Assert.Contains(grid["name"]!.ToString(), await page.TextContentAsync("#nearest-grid-name") ?? "");
    }
}
