using System.Text.Json.Nodes;
using GridMap.BrowserTests.Support;

namespace GridMap.BrowserTests;

[Collection("browser")]
public sealed class CoverageTests(ViewerFixture viewer)
{
    [SkippableFact]
    public async Task CoveragePanel_Figures_EqualTheApi()
    {
        var page = await viewer.OpenViewerAsync();
        await page.ActAndWaitAsync(() => page.ClickAsync("button[data-tab=coverage]"), "#coverage-table tr.total");
        await viewer.ScreenshotAsync(page, "04-coverage-panel");

        var api = JsonNode.Parse(await viewer.Http().GetStringAsync("/coverage?minutes=5,10,15"))!;
        await AssertRowAsync(page.Locator("#coverage-table tr.total"), api["total"]!);
        foreach (var community in api["communities"]!.AsArray())
            await AssertRowAsync(page.Locator($"#coverage-table tr.community[data-id='{community!["id"]}']"), community);
        foreach (var street in api["streets"]!.AsArray())
            await AssertRowAsync(page.Locator($"#coverage-table tr.street[data-id='{street!["id"]}']"), street);
        Assert.Equal(api["uncovered_compounds"]!.AsArray().Count, await page.Locator("#uncovered-list li").CountAsync());
    }

    [SkippableFact]
    public async Task HeatmapToggle_DrawsWalkingTimeCells()
    {
        var page = await viewer.OpenViewerAsync();
        await page.ClickAsync("button[data-tab=coverage]");
        var before = await page.SamplePixelsAsync();

        await page.CheckAsync("#heatmap-toggle");
        await page.WaitForFunctionAsync("() => window.gridmap.state.loaded.has('heatmap') || window.gridmap.state.tileLayers.has('heatmap') || document.querySelector('.message.warning, .message.error')");
        Assert.Equal(0, await page.Locator(".message.warning, .message.error").CountAsync());
        var after = await page.SamplePixelsAsync();
        await viewer.ScreenshotAsync(page, "05-heatmap");

        Assert.True(MapPage.ChangedShare(before, after) > 0.05, $"only {MapPage.ChangedShare(before, after):P1} of the pixels changed");
    }

    [SkippableFact]
    public async Task IsochroneButton_DrawsTheStationsWalkingAreas()
    {
        var page = await viewer.OpenViewerAsync();
        await page.ClickAsync("button[data-tab=coverage]");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#isochrone-station option').length > 0");

        await page.ActAndWaitAsync(() => page.ClickAsync("#isochrone-show"), ".message.info");
        await page.IdleAsync();
        await viewer.ScreenshotAsync(page, "10-isochrones");

        var minutes = await page.EvaluateAsync<int[]>(
            "() => window.gridmap.state.map.querySourceFeatures('isochrones').map(f => f.properties.minutes)");
        Assert.Contains(15, minutes);
        Assert.Contains(5, minutes);
    }

    private static async Task AssertRowAsync(Microsoft.Playwright.ILocator row, JsonNode expected)
    {
        Assert.Equal(1, await row.CountAsync());
        Assert.Equal(expected["households"]!.ToString(), await row.GetAttributeAsync("data-households"));
        foreach (var minutes in new[] { "5", "10", "15" })
        {
            var cell = row.Locator($"td[data-minutes='{minutes}']");
            var within = expected["within"]![minutes]!.GetValue<long>();
            Assert.Equal(within.ToString(System.Globalization.CultureInfo.InvariantCulture), await cell.GetAttributeAsync("data-within"));
            var households = expected["households"]!.GetValue<long>();
            var share = households > 0 ? (100.0 * within / households).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) : "—";
            Assert.Equal(share, await cell.TextContentAsync());
        }
    }
}
