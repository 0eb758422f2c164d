using Microsoft.Playwright;
using GridMap.Data;
using Npgsql;

namespace GridMap.BrowserTests.Support;

/// What the tests do with the viewer: read canvas pixels, click a place given in WGS 84, frame an area.
public static class MapPage
{
    public static async Task IdleAsync(this IPage page) => await page.EvaluateAsync("() => window.gridmap.idle()");

    /// 64×64 RGBA samples of the map's WebGL canvas.
    public static async Task<int[]> SamplePixelsAsync(this IPage page)
    {
        await page.IdleAsync();
        return await page.EvaluateAsync<int[]>("() => window.gridmap.samplePixels(64)");
    }

    public static int DistinctColors(int[] rgba) =>
        Enumerable.Range(0, rgba.Length / 4).Select(i => (rgba[4 * i] << 16) | (rgba[4 * i + 1] << 8) | rgba[4 * i + 2]).Distinct().Count();

    /// Share of sampled pixels whose colour differs between two samples.
    public static double ChangedShare(int[] before, int[] after) =>
        Enumerable.Range(0, before.Length / 4).Count(i =>
            Math.Abs(before[4 * i] - after[4 * i]) + Math.Abs(before[4 * i + 1] - after[4 * i + 1]) + Math.Abs(before[4 * i + 2] - after[4 * i + 2]) > 24)
        / (double)(before.Length / 4);

    public static async Task FitAsync(this IPage page, double minLon, double minLat, double maxLon, double maxLat)
    {
        await page.EvaluateAsync("b => { window.gridmap.state.map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 40, animate: false }); }",
            new[] { minLon, minLat, maxLon, maxLat });
        await page.IdleAsync();
    }

    public static async Task ClickLonLatAsync(this IPage page, double lon, double lat)
    {
        var xy = await page.EvaluateAsync<double[]>("p => { const q = window.gridmap.state.map.project(p); return [q.x, q.y]; }",
            new[] { lon, lat });
        await page.Locator("#map canvas").ClickAsync(new LocatorClickOptions { Position = new Position { X = (float)xy[0], Y = (float)xy[1] } });
    }

    /// Does <paramref name="action"/>, then waits for <paramref name="selector"/>; fails at once with the
    /// viewer's own words when it shows a warning or error instead (an endpoint that is not there yet, a
    /// refused request).
    public static async Task ActAndWaitAsync(this IPage page, Func<Task> action, string selector)
    {
        var messages = page.Locator(".message.warning, .message.error");
        var before = await messages.CountAsync();
        await action();
        await page.WaitForFunctionAsync("([s, n]) => document.querySelector(s) || document.querySelectorAll('.message.warning, .message.error').length > n",
            new object[] { selector, before });
        if (await page.Locator(selector).CountAsync() == 0)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(LocalCluster.FindProjectRoot(), "test-results", "screenshots", "failed-" + DateTime.UtcNow.Ticks + ".png") });
            Assert.Fail($"the viewer said: {await messages.Last.TextContentAsync()}");
        }
    }

    public static async Task SignInAsync(this IPage page, string key)
    {
        await page.ClickAsync("button[data-tab=planner]");
        await page.FillAsync("#api-key", key);
        await page.ClickAsync("#login");
        await page.WaitForSelectorAsync("#signed-in:not([hidden])");
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql, params object[] parameters)
    {
        await using var dataSource = GridMapDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
            command.Parameters.AddWithValue(parameter);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task<double[]> DoublesAsync(string connectionString, string sql, params object[] parameters)
    {
        await using var dataSource = GridMapDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
            command.Parameters.AddWithValue(parameter);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no row for: {sql}");
        return Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToDouble(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }
}
