using GridMap.BrowserTests.Support;

namespace GridMap.BrowserTests;

[Collection("browser")]
public sealed class MapTests(ViewerFixture viewer)
{
    [SkippableFact]
    public async Task Viewer_Opens_DrawsTheCityOnTheCanvas()
    {
        var page = await viewer.OpenViewerAsync();
        var pixels = await page.SamplePixelsAsync();
        await viewer.ScreenshotAsync(page, "01-map");

        // Background, grid fills in three classes, buildings, roads, lines: a drawn map, not a blank canvas.
        Assert.True(MapPage.DistinctColors(pixels) >= 8, $"only {MapPage.DistinctColors(pixels)} colours on the canvas");
        Assert.Equal("网格", (await page.TextContentAsync("#layer-list li:nth-child(3) label"))!.Trim());
        Assert.Equal(0, await page.Locator(".message.error").CountAsync());
    }

    [SkippableFact]
    public async Task LayerToggle_GridsOff_ChangesThePixels()
    {
        var page = await viewer.OpenViewerAsync();
        var before = await page.SamplePixelsAsync();

        await page.UncheckAsync("#layer-list input[data-layer=grids]");
        var after = await page.SamplePixelsAsync();
        await viewer.ScreenshotAsync(page, "02-grids-off");

        Assert.True(MapPage.ChangedShare(before, after) > 0.05, $"only {MapPage.ChangedShare(before, after):P1} of the pixels changed");
        await page.CheckAsync("#layer-list input[data-layer=grids]");
        var again = await page.SamplePixelsAsync();
        Assert.True(MapPage.ChangedShare(before, again) < 0.02, "turning grids back on should restore the picture");
    }

    [SkippableFact]
    public async Task LanguageButton_SwitchesToEnglishAndBack()
    {
        var page = await viewer.OpenViewerAsync();
        Assert.Equal("图层", await page.TextContentAsync("button[data-tab=layers]"));

        await page.ClickAsync("#lang");

        Assert.Equal("Layers", await page.TextContentAsync("button[data-tab=layers]"));
        Assert.Equal("Grids", (await page.TextContentAsync("#layer-list li:nth-child(3) label"))!.Trim());
        await page.ClickAsync("#lang");
        Assert.Equal("图层", await page.TextContentAsync("button[data-tab=layers]"));
    }

    [SkippableFact]
    public async Task Search_CompoundName_ListsItAndFramesIt()
    {
        var name = await MapPage.ScalarAsync<string>(viewer.Api.ConnectionString, "SELECT name FROM compounds ORDER BY id LIMIT 1");
        var page = await viewer.OpenViewerAsync();

        await page.FillAsync("#search", name);
        await page.ClickAsync("#search-results li");
        await page.IdleAsync();

        Assert.True(await page.EvaluateAsync<bool>("() => window.gridmap.state.map.getZoom() > 14"));
        Assert.Contains(name, await page.TextContentAsync(".maplibregl-popup-content") ?? "");
    }
}
