using System.Net.Http.Headers;
using GridMap.Operations.Demo;
using GridMap.Data;
using GridMap.IntegrationTests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;
using Xunit.Abstractions;

namespace GridMap.BrowserTests.Support;

[CollectionDefinition("browser")]
public sealed class BrowserCollection : ICollectionFixture<ViewerFixture>;

/// <summary>
/// Once per run: a throwaway PostgreSQL server (a container, or the private cluster: see PostgresFixture), the demo city (data/demo), the real service on a
/// Kestrel port, and Debian's Chromium driven by Playwright. Never downloads a browser.
/// </summary>
public sealed class ViewerFixture(IMessageSink messages) : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly PostgresFixture _postgres = new(messages);
    private IPlaywright? _playwright;

    public ApiTestContext Api { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    public string ScreenshotDirectory { get; } = Path.Combine(LocalCluster.FindProjectRoot(), "test-results", "screenshots");

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        Api = await ApiFactory.StartAsync(_postgres, "viewer_e2e");
        await using (var dataSource = GridMapDataSource.Create(Api.ConnectionString))
        {
            var demo = Path.Combine(LocalCluster.FindProjectRoot(), "data", "demo");
            Assert.True(await DemoData.LoadIfEmptyAsync(dataSource, demo), $"the demo city should load from {demo}");
        }
        Api.Factory.UseKestrel(0);
        Api.Factory.StartServer();
        var addresses = Api.Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1");
        Directory.CreateDirectory(ScreenshotDirectory);
        // Without Chromium every test skips (fails under CI=true) when it asks for a page: OpenViewerAsync.
        if (!File.Exists(ChromiumPath))
            return;
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.CloseAsync();
        _playwright?.Dispose();
        if (Api is not null)
            await Api.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    /// A client of the same running service (real HTTP), optionally with a key.
    public HttpClient Http(string? key = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        if (key is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// A fresh page (own session storage) with the viewer loaded and drawn.
    public async Task<IPage> OpenViewerAsync(string query = "")
    {
        RequiredTool.Require(ChromiumPath, "chromium");
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            Locale = "zh-CN",
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        await page.GotoAsync($"{BaseUrl}/{query}");
        await page.WaitForFunctionAsync("() => window.gridmap && window.gridmap.state.map");
        await page.EvaluateAsync("() => window.gridmap.ready");
        await page.EvaluateAsync("() => window.gridmap.idle()");
        return page;
    }

    public async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, $"{name}.png") });
}
