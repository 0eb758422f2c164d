using GridMap.IntegrationTests.Support;
using GridMap.Load;

namespace GridMap.IntegrationTests.Api;

/// Many planners edit the same grid at once, each with If-Match: one write wins per round, the others get
/// 412 and retry on the new version; in the end no change is lost and the history has one row per write.
/// The same code as `gridmap-load edits` (tests/load), run in-process.
[Collection("postgres")]
public sealed class ConcurrentEditTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const int Clients = 50;
    private ApiTestContext _api = null!;

    public async Task InitializeAsync() => _api = await ApiFactory.StartAsync(postgres, "api_concurrent");

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task FiftyClients_OneWinsEachRound_NoUpdateIsLost()
    {
        using var creator = _api.Planner();
        var created = await creator.PostAsync("/collections/grids/items",
            Http.GeoJson(Http.Square(117.88, 31.60, 0.002, """{"name":"竞争网格","code":"G-C"}""")));
        var url = created.Headers.Location!.ToString();

        var result = await ConcurrentEdits.RunAsync(_api.Planner, url, Clients);

        Assert.Equal(1, result.FirstRoundWinners);
        Assert.Equal(Clients - 1, result.FirstRoundRefused);
        Assert.Equal(0, result.LostUpdates);
        Assert.Equal(Clients, result.VersionAfter - result.VersionBefore);
        var gridId = url.Split('/')[^1];
        Assert.Equal(Clients, await _api.ScalarAsync<long>($"SELECT count(*) FROM grid_history WHERE grid_id = {gridId}"));
    }
}
