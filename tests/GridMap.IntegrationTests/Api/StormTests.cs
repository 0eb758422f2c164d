using GridMap.IntegrationTests.Support;
using GridMap.Load;

namespace GridMap.IntegrationTests.Api;

/// The fast version of `gridmap-load storm`: a thousand malformed and hostile requests against every
/// endpoint, with a planner key so writes reach validation. No 5xx, nothing written, the service alive.
[Collection("postgres")]
public sealed class StormTests(PostgresFixture postgres) : IAsyncLifetime
{
    private ApiTestContext _api = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiFactory.StartAsync(postgres, "api_storm");
        using var planner = _api.Planner();
        foreach (var i in Enumerable.Range(1, 5))
        {
            Assert.True((await planner.PostAsync("/collections/grids/items",
                Http.GeoJson(Http.Square(117.88 + i * 0.01, 31.60, 0.002, $$"""{"name":"网格{{i}}"}""")))).IsSuccessStatusCode);
            Assert.True((await planner.PostAsync("/collections/stations/items",
                Http.GeoJson(Http.PointFeature(117.88 + i * 0.01, 31.60, $$"""{"name":"驿站{{i}}","kind":"yizhan"}""")))).IsSuccessStatusCode);
        }
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task ThousandHostileRequests_No5xx_NothingWritten()
    {
        using var planner = _api.Planner();
        var before = await Storm.CountFeaturesAsync(planner);
        var historyBefore = await _api.ScalarAsync<long>("SELECT count(*) FROM grid_history");

        var result = await Storm.RunAsync(planner, 1000, concurrency: 8, seed: 7);

        Assert.True(result.ServerErrors == 0 && result.Dropped == 0 && result.AcceptedWrites == 0,
            result.Summary() + "\n" + string.Join("\n", result.Examples));
        Assert.Equal(before, await Storm.CountFeaturesAsync(planner));
        Assert.Equal(historyBefore, await _api.ScalarAsync<long>("SELECT count(*) FROM grid_history"));
        Assert.True((await planner.GetAsync("/health/ready")).IsSuccessStatusCode);
    }
}
