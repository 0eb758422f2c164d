using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GridMap.IntegrationTests.Support;

namespace GridMap.IntegrationTests.Cli;

/// `gridmap serve` prepares the database, loads the demo city into an empty one and runs the web host as a
/// child process (the command line does not reference the web project); stopping serve stops the host.
[Collection("postgres")]
public sealed class ServeCommandTests(PostgresFixture postgres) : IAsyncLifetime
{
    private string _connectionString = "";

    public async Task InitializeAsync() => _connectionString = await postgres.CreateDatabaseAsync("cli_serve");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Serve_EmptyDatabase_LoadsDemoCityAndServesUntilTerminated()
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "gridmap.dll"), "serve", "--urls", $"http://127.0.0.1:{port}" })
            start.ArgumentList.Add(arg);
        start.Environment["GRIDMAP_DB"] = _connectionString;
        using var serve = Process.Start(start)!;
        var log = new System.Text.StringBuilder();
        serve.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        serve.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        serve.BeginErrorReadLine();
        serve.BeginOutputReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var grids = await WaitForAsync(http, "/collections/grids/items?limit=1", TimeSpan.FromSeconds(90), serve, log);
            var demoGrids = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(GridMap.Data.LocalCluster.FindProjectRoot(), "data", "demo", "grids.geojson")))
                .RootElement.GetProperty("features").GetArrayLength();
            Assert.Contains($"\"numberMatched\":{demoGrids}", grids);
            var viewer = await http.GetAsync("/js/app.js");
            Assert.Equal(HttpStatusCode.OK, viewer.StatusCode);
        }
        finally
        {
            Process.Start("kill", ["-TERM", serve.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await serve.WaitForExitAsync(timeout.Token);
        }
        using var after = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => after.GetAsync($"http://127.0.0.1:{port}/health/live"));
    }

    private static async Task<string> WaitForAsync(HttpClient http, string path, TimeSpan limit, Process serve, System.Text.StringBuilder log)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            Assert.False(serve.HasExited, $"gridmap serve exited early:\n{log}");
            try
            {
                var response = await http.GetAsync(path);
                if (response.IsSuccessStatusCode)
                    return await response.Content.ReadAsStringAsync();
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"gridmap serve did not answer {path} within {limit}:\n{log}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
