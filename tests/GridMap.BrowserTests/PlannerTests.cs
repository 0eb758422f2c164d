using System.Text;
using GridMap.BrowserTests.Support;
using Microsoft.Playwright;

namespace GridMap.BrowserTests;

/// Planner tools. The split works in the first community, building moves in the last, so the tests do not
/// depend on each other's order.
[Collection("browser")]
public sealed class PlannerTests(ViewerFixture viewer)
{
    // A grid G of the last community, a touching grid S, and the building of S closest to G; the points
    // to click (a spot of G outside every building, and the building) and a frame around both.
    private const string MoveCaseSql = """
        WITH pick AS (
          SELECT g.id AS g, s.id AS s, b.id AS b, b.households, g.geom AS ggeom, b.geom AS bgeom
          FROM grids g
          JOIN grids s ON s.community_id = g.community_id AND s.id <> g.id AND ST_Touches(g.geom, s.geom)
          JOIN buildings b ON b.geom && s.geom AND ST_Intersects(s.geom, ST_PointOnSurface(b.geom))
          WHERE g.community_id = (SELECT max(community_id) FROM grids) AND b.households > 0
            AND NOT ST_Intersects(g.geom, b.geom)
          ORDER BY ST_Distance(b.geom, g.geom), g.id, b.id LIMIT 1)
        SELECT g, s, b, households,
               ST_X(gp), ST_Y(gp), ST_X(bp), ST_Y(bp),
               ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
        FROM pick,
             LATERAL (SELECT ST_Difference(ggeom, COALESCE(
                        (SELECT ST_Union(ST_Buffer(x.geom, 0.0002)) FROM buildings x WHERE x.geom && ggeom),
                        ST_GeomFromText('POLYGON EMPTY', 4326))) AS free) f,
             LATERAL (SELECT ST_PointOnSurface(CASE WHEN ST_IsEmpty(ST_Intersection(free, ST_Buffer(bgeom, 0.002))) THEN free
                                                     ELSE ST_Intersection(free, ST_Buffer(bgeom, 0.002)) END) AS gp) p,
             LATERAL (SELECT ST_PointOnSurface(bgeom) AS bp,
                             ST_Expand(ST_Envelope(ST_Collect(bgeom, gp)), 0.0008) AS e) x
        """;

    [Fact]
    public async Task Split_ProposeThenApply_ReplacesTheCommunitysGrids()
    {
        var communityId = await MapPage.ScalarAsync<long>(viewer.Api.ConnectionString, "SELECT min(id) FROM communities");
        var page = await viewer.OpenViewerAsync();
        await page.SignInAsync(viewer.Api.PlannerKey);

        await page.SelectOptionAsync("#split-community", communityId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.ActAndWaitAsync(() => page.ClickAsync("#split-propose"), "#proposal:not([hidden]) #proposal-table tbody tr");
        await page.IdleAsync();
        await viewer.ScreenshotAsync(page, "06-split-proposal");
        var proposed = await page.Locator("#proposal-table tbody tr").CountAsync();
        var proposedHouseholds = (await page.Locator("#proposal-table tbody tr").EvaluateAllAsync<int[]>(
            "rows => rows.map(r => Number(r.dataset.households))")).Sum();

        await page.ClickAsync("#proposal-apply");
        await page.WaitForSelectorAsync("#proposal[hidden]", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        await page.IdleAsync();
        await viewer.ScreenshotAsync(page, "07-split-applied");

        Assert.Equal(0, await page.Locator(".message.error").CountAsync());
        Assert.Equal(proposed, await MapPage.ScalarAsync<int>(viewer.Api.ConnectionString,
            "SELECT count(*) FROM grids WHERE community_id = $1", communityId));
        Assert.Equal(proposedHouseholds, await MapPage.ScalarAsync<int>(viewer.Api.ConnectionString,
            "SELECT sum(households) FROM grids WHERE community_id = $1", communityId));
    }

    [Fact]
    public async Task BuildingClick_InEditMode_MovesItIntoTheSelectedGridAndTotalsChange()
    {
        var c = await MapPage.DoublesAsync(viewer.Api.ConnectionString, MoveCaseSql);
        long target = (long)c[0], source = (long)c[1], building = (long)c[2];
        var households = (int)c[3];
        var targetBefore = await HouseholdsAsync(target);
        var sourceBefore = await HouseholdsAsync(source);
        var page = await OpenEditorAsync(c);

        await page.ClickLonLatAsync(c[4], c[5]);
        await page.WaitForSelectorAsync($"#selected-grid[data-id='{target}']");
        Assert.Equal(targetBefore.ToString(System.Globalization.CultureInfo.InvariantCulture),
            await page.GetAttributeAsync("#selected-grid", "data-households"));
        await page.ActAndWaitAsync(() => page.ClickLonLatAsync(c[6], c[7]), $"#selected-grid[data-households='{targetBefore + households}']");
        await page.IdleAsync();
        await viewer.ScreenshotAsync(page, "08-building-moved");

        Assert.Equal(targetBefore + households, await HouseholdsAsync(target));
        Assert.Equal(sourceBefore - households, await HouseholdsAsync(source));
        Assert.Equal((sourceBefore - households).ToString(System.Globalization.CultureInfo.InvariantCulture),
            await page.GetAttributeAsync("#source-grid", "data-households"));
        Assert.True(await MapPage.ScalarAsync<bool>(viewer.Api.ConnectionString,
            "SELECT ST_Intersects(g.geom, ST_PointOnSurface(b.geom)) FROM grids g, buildings b WHERE g.id = $1 AND b.id = $2", target, building));

        // Undo through the history: the previous version of the target comes back.
        await page.ClickAsync("#history-show");
        await page.ClickAsync("#history-list li button");
        await page.WaitForSelectorAsync($"#selected-grid[data-households='{targetBefore}']");
        Assert.Equal(targetBefore, await HouseholdsAsync(target));
    }

    [Fact]
    public async Task StaleSave_AfterSomeoneElseEdited_IsRefusedWithAMessage()
    {
        var c = await MapPage.DoublesAsync(viewer.Api.ConnectionString, MoveCaseSql);
        long target = (long)c[0], source = (long)c[1];
        var page = await OpenEditorAsync(c);
        await page.ClickLonLatAsync(c[4], c[5]);
        await page.WaitForSelectorAsync($"#selected-grid[data-id='{target}']");

        // Someone else renames the grid after the browser read it.
        using var other = viewer.Http(viewer.Api.PlannerKey);
        var current = await other.GetAsync($"/collections/grids/items/{target}");
        var renamed = new HttpRequestMessage(HttpMethod.Patch, $"/collections/grids/items/{target}")
        {
            Content = new StringContent("""{"type":"Feature","properties":{"name":"改名网格"}}""", Encoding.UTF8, "application/geo+json"),
        };
        renamed.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag!.ToString());
        Assert.True((await other.SendAsync(renamed)).IsSuccessStatusCode);
        var geometryBefore = await MapPage.ScalarAsync<string>(viewer.Api.ConnectionString, "SELECT ST_AsText(geom) FROM grids WHERE id = $1", target);
        var sourceBefore = await HouseholdsAsync(source);

        await page.ActAndWaitAsync(() => page.ClickLonLatAsync(c[6], c[7]), ".message.conflict");
        var message = page.Locator(".message.conflict");
        await viewer.ScreenshotAsync(page, "09-stale-save-refused");

        Assert.Contains("改名网格", await message.TextContentAsync() ?? "");
        Assert.Equal(geometryBefore, await MapPage.ScalarAsync<string>(viewer.Api.ConnectionString, "SELECT ST_AsText(geom) FROM grids WHERE id = $1", target));
        Assert.Equal(sourceBefore, await HouseholdsAsync(source));
    }

    [Fact]
    public async Task SignIn_UnknownKey_IsRefusedAndNoEditToolsAppear()
    {
        var page = await viewer.OpenViewerAsync();
        await page.ClickAsync("button[data-tab=planner]");
        Assert.True(await page.Locator("#signed-in").IsHiddenAsync());

        await page.FillAsync("#api-key", "gm_not-a-key");
        await page.ClickAsync("#login");
        await page.Locator(".message.error").WaitForAsync();

        Assert.True(await page.Locator("#signed-in").IsHiddenAsync());
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('gridmap.key')"));
    }

    private async Task<IPage> OpenEditorAsync(double[] c)
    {
        var page = await viewer.OpenViewerAsync();
        await page.SignInAsync(viewer.Api.PlannerKey);
        await page.CheckAsync("#edit-toggle");
        await page.FitAsync(c[8], c[9], c[10], c[11]);
        return page;
    }

    private Task<int> HouseholdsAsync(long gridId) =>
        MapPage.ScalarAsync<int>(viewer.Api.ConnectionString, "SELECT households FROM grids WHERE id = $1", gridId);
}
