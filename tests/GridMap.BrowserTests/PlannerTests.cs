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

    [SkippableFact]
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

    [SkippableFact]
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
        // The click shows the totals after the move at once, as the API computes them; nothing is saved yet.
        await page.ActAndWaitAsync(() => page.ClickLonLatAsync(c[6], c[7]), $"#preview-target[data-households='{targetBefore + households}']");
        await page.IdleAsync();
        await viewer.ScreenshotAsync(page, "08a-building-move-preview");
        using var http = viewer.Http();
        var answer = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync($"/grids/{target}/move-preview?building={building}"))!;
        Assert.Equal((string)answer["target"]!["households"]!.ToString(), await page.GetAttributeAsync("#preview-target", "data-households"));
        Assert.Equal((string)answer["source"]!["households"]!.ToString(), await page.GetAttributeAsync("#preview-source", "data-households"));
        Assert.Equal(sourceBefore - households, (int)answer["source"]!["households"]!);
        Assert.Equal(((int)answer["target"]!["parts"]! == 1 && (int)answer["source"]!["parts"]! == 1).ToString().ToLowerInvariant(),
            await page.GetAttributeAsync("#edit-preview", "data-contiguous"));
        var inRange = targetBefore + households is >= 300 and <= 500;
        Assert.Equal(inRange.ToString().ToLowerInvariant(), await page.GetAttributeAsync("#preview-target", "data-in-range"));
        Assert.Contains(inRange ? "ok" : "bad", await page.GetAttributeAsync("#preview-target", "class") ?? "");
        Assert.Equal(targetBefore, await HouseholdsAsync(target));

        var writes = new List<string>();
        page.Request += (_, r) => { if (r.Method is not ("GET" or "HEAD" or "OPTIONS")) writes.Add($"{r.Method} {new Uri(r.Url).AbsolutePath}"); };
        await page.ActAndWaitAsync(() => page.ClickAsync("#edit-save"), $"#selected-grid[data-households='{targetBefore + households}']");
        await page.IdleAsync();
        await viewer.ScreenshotAsync(page, "08-building-moved");

        // One action, one request, one transaction: both grids changed by the move, with one history row each.
        Assert.Equal([$"POST /grids/{source}/move"], writes);
        Assert.Equal(2, await MapPage.ScalarAsync<int>(viewer.Api.ConnectionString,
            "SELECT count(DISTINCT grid_id)::int FROM grid_history WHERE grid_id IN ($1, $2) AND change_reason = $3",
            target, source, $"move building {building} into grid {target}"));

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

    [SkippableFact]
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

        await page.ActAndWaitAsync(() => page.ClickLonLatAsync(c[6], c[7]), "#preview-target");
        await page.ActAndWaitAsync(() => page.ClickAsync("#edit-save"), ".message.conflict");
        var message = page.Locator(".message.conflict");
        await viewer.ScreenshotAsync(page, "09-stale-save-refused");

        Assert.Contains("改名网格", await message.TextContentAsync() ?? "");
        Assert.Equal(geometryBefore, await MapPage.ScalarAsync<string>(viewer.Api.ConnectionString, "SELECT ST_AsText(geom) FROM grids WHERE id = $1", target));
        Assert.Equal(sourceBefore, await HouseholdsAsync(source));
    }

    // A whole grid of a middle community (neither split nor moved by the other tests), and two vertices
    // of its outer ring far from the others: one whose move towards the centre changes the households and
    // keeps the ring valid, one whose move across the centre makes the ring cross itself. Then a frame.
    private const string BoundaryCaseSql = """
        WITH g AS (
          SELECT id, households, geom, ST_Centroid(geom) AS c, ST_ExteriorRing(ST_GeometryN(geom, 1)) AS ring FROM grids
          WHERE community_id <> (SELECT min(id) FROM communities) AND community_id <> (SELECT max(community_id) FROM grids)
            AND ST_NumGeometries(geom) = 1),
        v AS (
          SELECT g.*, n - 1 AS i, ST_PointN(ring, n) AS pt FROM g, generate_series(2, ST_NPoints(ring) - 1) n
          WHERE (SELECT min(ST_Distance(ST_PointN(ring, n), ST_PointN(ring, k))) FROM generate_series(1, ST_NPoints(ring) - 1) k WHERE k <> n) > 0.0006),
        m AS (
          SELECT v.*,
                 ST_SetSRID(ST_MakePoint(ST_X(pt) + 0.6 * (ST_X(c) - ST_X(pt)), ST_Y(pt) + 0.6 * (ST_Y(c) - ST_Y(pt))), 4326) AS inward,
                 ST_SetSRID(ST_MakePoint(ST_X(c) + 1.5 * (ST_X(c) - ST_X(pt)), ST_Y(c) + 1.5 * (ST_Y(c) - ST_Y(pt))), 4326) AS across
          FROM v),
        ok AS (SELECT * FROM m WHERE ST_IsValid(ST_MakePolygon(ST_SetPoint(ring, i, inward)))
                 AND grid_households(ST_MakePolygon(ST_SetPoint(ring, i, inward))) <> households),
        bad AS (SELECT * FROM m WHERE NOT ST_IsValid(ST_MakePolygon(ST_SetPoint(ring, i, across))))
        SELECT ok.id, ok.households, ST_X(ok.pt), ST_Y(ok.pt), ST_X(ok.inward), ST_Y(ok.inward),
               ST_X(bad.pt), ST_Y(bad.pt), ST_X(bad.across), ST_Y(bad.across),
               ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
        FROM ok JOIN bad ON bad.id = ok.id AND bad.i <> ok.i,
             LATERAL (SELECT ST_Expand(ST_Envelope(ST_Collect(ARRAY[ok.geom, bad.across])), 0.0003) AS e) f
        ORDER BY ok.id, ok.i, bad.i LIMIT 1
        """;

    [SkippableFact]
    public async Task BoundaryEdit_DragVertex_ShowsTheApisTotalRefusesACrossedRingAndSavesWithIfMatch()
    {
        var c = await MapPage.DoublesAsync(viewer.Api.ConnectionString, BoundaryCaseSql);
        var grid = (long)c[0];
        var householdsBefore = (int)c[1];
        var versionBefore = await MapPage.ScalarAsync<int>(viewer.Api.ConnectionString, "SELECT version FROM grids WHERE id = $1", grid);
        var geometryBefore = await MapPage.ScalarAsync<string>(viewer.Api.ConnectionString, "SELECT ST_AsText(geom) FROM grids WHERE id = $1", grid);
        var page = await viewer.OpenViewerAsync();
        await page.SignInAsync(viewer.Api.PlannerKey);
        await page.CheckAsync("#edit-toggle");
        await page.FitAsync(c[10], c[11], c[12], c[13]);
        var inside = await MapPage.DoublesAsync(viewer.Api.ConnectionString,
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) AS p FROM grids WHERE id = $1) x", grid);
        await page.ClickLonLatAsync(inside[0], inside[1]);
        await page.WaitForSelectorAsync($"#selected-grid[data-id='{grid}']");

        // A vertex dragged across the centre: the ring crosses itself; Save refuses it in words and sends nothing.
        await page.ActAndWaitAsync(() => page.ClickAsync("#boundary-edit"), "#boundary-preview[data-valid='true']");
        await page.IdleAsync();
        await DragAsync(page, c[6], c[7], c[8], c[9]);
        await page.WaitForSelectorAsync("#boundary-preview[data-valid='false']");
        await page.ClickAsync("#edit-save");
        await page.Locator(".message.error").WaitForAsync();
        await viewer.ScreenshotAsync(page, "10-boundary-crossed-refused");
        Assert.Equal(geometryBefore, await MapPage.ScalarAsync<string>(viewer.Api.ConnectionString, "SELECT ST_AsText(geom) FROM grids WHERE id = $1", grid));

        // Start again; a vertex dragged inwards: the live total is the API's answer for the polygon on screen.
        await page.ClickAsync("#edit-cancel");
        await page.ClickAsync("#boundary-edit");
        await page.WaitForSelectorAsync($"#boundary-preview[data-valid='true'][data-households='{householdsBefore}']");
        await page.IdleAsync();
        await DragAsync(page, c[2], c[3], c[4], c[5]);
        await page.WaitForFunctionAsync("n => { const e = document.querySelector('#boundary-preview'); return e && e.dataset.valid === 'true' && e.dataset.households !== n; }",
            householdsBefore.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.IdleAsync();
        await viewer.ScreenshotAsync(page, "11-boundary-dragged");
        var shown = int.Parse((await page.GetAttributeAsync("#boundary-preview", "data-households"))!, System.Globalization.CultureInfo.InvariantCulture);
        var geometry = await page.GetAttributeAsync("#boundary-preview", "data-geometry");
        using var http = viewer.Http(viewer.Api.PlannerKey);
        var answer = await http.PostAsync($"/grids/{grid}/preview", new StringContent($$"""{"geometry":{{geometry}}}""", Encoding.UTF8, "application/json"));
        var figures = System.Text.Json.Nodes.JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        Assert.Equal(shown, (int)figures["households"]!);
        Assert.NotEqual(householdsBefore, shown);
        Assert.Equal(householdsBefore, await MapPage.ScalarAsync<int>(viewer.Api.ConnectionString, "SELECT households FROM grids WHERE id = $1", grid));

        await page.ActAndWaitAsync(() => page.ClickAsync("#edit-save"), $"#selected-grid[data-households='{shown}']");
        await page.IdleAsync();
        await viewer.ScreenshotAsync(page, "12-boundary-saved");
        Assert.Equal(shown, await MapPage.ScalarAsync<int>(viewer.Api.ConnectionString, "SELECT households FROM grids WHERE id = $1", grid));
        Assert.Equal(versionBefore + 1, await MapPage.ScalarAsync<int>(viewer.Api.ConnectionString, "SELECT version FROM grids WHERE id = $1", grid));
    }

    private static async Task DragAsync(IPage page, double fromLon, double fromLat, double toLon, double toLat)
    {
        var xy = await page.EvaluateAsync<double[]>("""
            p => { const m = window.gridmap.state.map, r = m.getCanvas().getBoundingClientRect();
                   const a = m.project([p[0], p[1]]), b = m.project([p[2], p[3]]);
                   return [r.left + a.x, r.top + a.y, r.left + b.x, r.top + b.y]; }
            """, new[] { fromLon, fromLat, toLon, toLat });
        await page.Mouse.MoveAsync((float)xy[0], (float)xy[1]);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync((float)xy[2], (float)xy[3], new MouseMoveOptions { Steps = 12 });
        await page.Mouse.UpAsync();
    }

    [SkippableFact]
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
