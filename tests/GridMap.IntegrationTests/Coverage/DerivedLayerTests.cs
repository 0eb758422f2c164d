using System.Diagnostics;
using System.Net;
using GridMap.Api.Auth;
using GridMap.Data;
using GridMap.IntegrationTests.Support;
using GridMap.Operations.Coverage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GridMap.IntegrationTests.Coverage;

/// Issue 13 item 3: reads only read. The coverage worker rebuilds after changes; GETs answer from the
/// published network and the layers as they are, with the version they reflect.
[Collection("postgres")]
public sealed class DerivedLayerTests(PostgresFixture postgres) : IAsyncLifetime
{
    private static readonly string[] ReadUrls =
    [
        "/coverage", "/coverage?minutes=10", "/nearest?compound=远郊小区&k=1", "/stations/1/isochrone?minutes=5",
        "/collections/coverage/items?limit=5", "/collections/heatmap/items?limit=5", "/collections/coverage/items/26",
    ];

    private ApiTestContext _api = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiFactory.StartAsync(postgres, "coverage_derived");
        await _api.ExecuteAsync(WalkTestCity.Sql());
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private WebApplicationFactory<Program> WithSettings(params (string Key, string Value)[] settings) =>
        _api.Factory.WithWebHostBuilder(b =>
        {
            foreach (var (key, value) in settings)
                b.UseSetting(key, value);
        });

    /// Every row version of both layers and the recorded version: any write by anyone changes it.
    private Task<string?> LayerFingerprintAsync() => _api.ScalarAsync<string>("""
        SELECT (SELECT md5(string_agg(xmin::text || ctid::text, ',' ORDER BY id)) FROM coverage)
            || (SELECT md5(string_agg(xmin::text || ctid::text, ',' ORDER BY id)) FROM heatmap)
            || (SELECT xmin::text || ':' || inputs_version FROM derived_layers_version)
        """);

    [Fact]
    public async Task Get_AfterStationEdit_WritesNothingAndAnswersPreviousVersionUntilWorkerPublishes()
    {
        // The loop reads as fast as it can, isochrones included: lift their rate limit (tested elsewhere) so a
        // fast machine does not run into 429.
        await using var factory = WithSettings(("GridMap:CoverageDebounceMs", "4000"), ("GridMap:CoverageMaxDelayMs", "8000"),
            ("GridMap:AnalysisPerMinute", "0"));
        using var client = factory.CreateClient();
        var first = await client.GetAsync("/coverage");
        var built = CoverageVersion.Of(first)!.Value;
        Assert.Equal(built, await CoverageVersion.InputsAsync(_api));
        var fingerprint = await LayerFingerprintAsync();

        await _api.ExecuteAsync("DELETE FROM stations WHERE id = 2");
        var edited = await CoverageVersion.InputsAsync(_api);
        var clock = Stopwatch.StartNew();
        var answers = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(2))
        {
            foreach (var url in ReadUrls)
            {
                var response = await client.GetAsync(url);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(built, CoverageVersion.Of(response));
                answers++;
            }
        }

        Assert.True(answers >= ReadUrls.Length, $"{answers} answers");
        Assert.Equal(fingerprint, await LayerFingerprintAsync()); // the reads wrote nothing
        Assert.Equal(2, await _api.ScalarAsync<long>("SELECT station_id FROM coverage WHERE building_id = 26"));

        var deadline = Stopwatch.StartNew();
        HttpResponseMessage after;
        do
        {
            await Task.Delay(100);
            after = await client.GetAsync("/collections/coverage/items/26");
        }
        while (CoverageVersion.Of(after) < edited && deadline.Elapsed < TimeSpan.FromSeconds(30));
        Assert.Equal(edited, CoverageVersion.Of(after));
        Assert.Equal(1, (long)(await after.JsonAsync())["properties"]!["station_id"]!);
        Assert.NotEqual(fingerprint, await LayerFingerprintAsync()); // the worker wrote
    }

    [Fact]
    public async Task Readers_DuringRebuilds_NeverSeeAnEmptyLayer()
    {
        await using var factory = WithSettings(("GridMap:CoverageDebounceMs", "20"), ("GridMap:CoverageMaxDelayMs", "100"));
        using var client = factory.CreateClient();
        var cache = factory.Services.GetRequiredService<WalkNetworkCache>();
        await client.GetAsync("/coverage");
        var buildsBefore = cache.GraphBuilds;
        using var stop = new CancellationTokenSource();
        var edits = Task.Run(async () =>
        {
            for (var i = 0; i < 12; i++)
            {
                var (lon, lat) = WalkTestCity.LonLat(i % 2 == 0 ? 2200 : 1000, 1010);
                await _api.ExecuteAsync(FormattableString.Invariant(
                    $"UPDATE stations SET geom = ST_SetSRID(ST_MakePoint({lon}, {lat}), 4326) WHERE id = 2"));
                await Task.Delay(150);
            }
            await Task.Delay(300);
            await stop.CancelAsync();
        });

        var versions = new HashSet<long>();
        var reads = 0;
        while (!stop.IsCancellationRequested)
        {
            var coverage = await (await client.GetAsync("/collections/coverage/items?limit=1")).JsonAsync();
            var heatmap = await client.GetAsync("/collections/heatmap/items?limit=1");
            Assert.Equal(26, (int)coverage["numberMatched"]!);
            Assert.True((int)(await heatmap.JsonAsync())["numberMatched"]! > 50);
            var summary = await client.GetAsync("/coverage");
            Assert.Equal(HttpStatusCode.OK, summary.StatusCode);
            Assert.Equal(2600, (long)(await summary.JsonAsync())["total"]!["households"]!);
            versions.Add(CoverageVersion.Of(summary)!.Value);
            reads++;
        }
        await edits;

        Assert.True(cache.GraphBuilds - buildsBefore >= 2, $"{cache.GraphBuilds - buildsBefore} rebuilds during {reads} reads");
        Assert.True(versions.Count >= 2, $"versions seen: {string.Join(", ", versions)}");
    }

    [Fact]
    public async Task GridEdit_ReaggregatesWithoutBuildingTheGraph()
    {
        await using var factory = WithSettings(("GridMap:CoverageDebounceMs", "50"));
        using var client = factory.CreateClient();
        var cache = factory.Services.GetRequiredService<WalkNetworkCache>();
        await client.GetAsync("/coverage");
        var graph = cache.Current!.Graph;
        var (builds, aggregations) = (cache.GraphBuilds, cache.Aggregations);

        // The west grid takes the whole community: every unit now counts there, no walk changes.
        await _api.ExecuteAsync("""
            UPDATE grids SET name = '大网格', geom = (SELECT ST_Multi(ST_Union(geom)) FROM grids) WHERE name = '西网格';
            DELETE FROM grids WHERE name = '东网格';
            """);
        var wanted = await CoverageVersion.InputsAsync(_api);
        HttpResponseMessage response;
        var deadline = Stopwatch.StartNew();
        do
            response = await client.GetAsync("/coverage");
        while (CoverageVersion.Of(response) < wanted && deadline.Elapsed < TimeSpan.FromSeconds(30));

        var grid = Assert.Single((await response.JsonAsync())["grids"]!.AsArray())!;
        Assert.Equal("大网格", (string)grid["name"]!);
        Assert.Equal(2500, (long)grid["households"]!);
        Assert.Equal(2500, (long)grid["within"]!["15"]!);
        Assert.Equal(builds, cache.GraphBuilds);
        Assert.True(cache.Aggregations > aggregations);
        Assert.Same(graph, cache.Current!.Graph);
        Assert.Equal(wanted, await _api.ScalarAsync<long>("SELECT inputs_version FROM derived_layers_version"));
    }

    [Fact]
    public async Task Rebuild_AdminOnlyAndRateLimited()
    {
        string adminKey;
        await using (var dataSource = GridMapDataSource.Create(_api.ConnectionString))
            adminKey = (await new ApiKeyStore(dataSource).CreateAsync("管理员", "admin")).Secret;
        await using var factory = WithSettings((RateLimits.ConfigurationKey, "2"));
        HttpClient As(string? key)
        {
            var client = factory.CreateClient();
            if (key is not null)
                client.DefaultRequestHeaders.Authorization = new("Bearer", key);
            return client;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await As(null).PostAsync("/coverage/rebuild", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await As(_api.PlannerKey).PostAsync("/coverage/rebuild", null)).StatusCode);
        using var admin = As(adminKey);
        var builds = factory.Services.GetRequiredService<WalkNetworkCache>().GraphBuilds;
        var done = await admin.PostAsync("/coverage/rebuild", null);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var body = await done.JsonAsync();
        Assert.Equal(await CoverageVersion.InputsAsync(_api), (long)body["version"]!);
        Assert.Equal(await _api.ScalarAsync<long>(
            "SELECT (SELECT count(*) FROM buildings) + (SELECT count(*) FROM compounds c WHERE NOT EXISTS (SELECT 1 FROM buildings b WHERE b.compound_id = c.id))"),
            (long)body["units"]!);
        Assert.True(factory.Services.GetRequiredService<WalkNetworkCache>().GraphBuilds > builds);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/coverage/rebuild", null)).StatusCode);
        var refused = await admin.PostAsync("/coverage/rebuild", null);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
    }
}
