using System.Net;
using System.Text.Json.Nodes;
using GridMap.IntegrationTests.Support;

namespace GridMap.IntegrationTests.Api;

/// Many planners edit the same grid at once, each with If-Match: one write wins per round, the others get
/// 412 and retry on the new version; in the end no change is lost and the history has one row per write.
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
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var url = created.Headers.Location!.ToString();
        var firstTag = created.ETag();

        var clients = Enumerable.Range(0, Clients).Select(_ => _api.Planner()).ToArray();
        try
        {
            // Round one: everybody writes against the same version at the same moment.
            using var start = new SemaphoreSlim(0);
            var firstRound = clients.Select((client, i) => Task.Run(async () =>
            {
                await start.WaitAsync();
                return (await PatchAsync(client, url, firstTag, i)).StatusCode;
            })).ToArray();
            start.Release(Clients);
            var statuses = await Task.WhenAll(firstRound);
            Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
            Assert.Equal(Clients - 1, statuses.Count(s => s == HttpStatusCode.PreconditionFailed));

            // Then every loser retries on the version it reads until its change lands.
            var losers = Enumerable.Range(0, Clients).Where(i => statuses[i] != HttpStatusCode.OK);
            var attempts = await Task.WhenAll(losers.Select(i => Task.Run(() => RetryUntilAppliedAsync(clients[i], url, i))));
            Assert.All(attempts, a => Assert.InRange(a, 1, 200));
        }
        finally
        {
            foreach (var client in clients)
                client.Dispose();
        }

        var final = await (await creator.GetAsync(url)).JsonAsync();
        var names = ((string)final["properties"]!["name"]!).Split('|');
        Assert.Equal(Clients + 1, names.Length);
        Assert.Equal(Enumerable.Range(0, Clients).Select(i => $"c{i}").Order(), names.Skip(1).Order());
        var gridId = (long)final["properties"]!["id"]!;
        Assert.Equal(Clients, await _api.ScalarAsync<long>($"SELECT count(*) FROM grid_history WHERE grid_id = {gridId}"));
        Assert.Equal(Clients + 1, await _api.ScalarAsync<long>($"SELECT version FROM grids WHERE id = {gridId}"));
    }

    private static async Task<int> RetryUntilAppliedAsync(HttpClient client, string url, int index)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await client.GetAsync(url);
            var name = (string)(await current.JsonAsync())["properties"]!["name"]!;
            var response = await PatchAsync(client, url, current.ETag(), index, name);
            if (response.StatusCode == HttpStatusCode.OK)
                return attempt;
            Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        }
    }

    private static Task<HttpResponseMessage> PatchAsync(HttpClient client, string url, string etag, int i, string baseName = "竞争网格")
    {
        var body = new JsonObject { ["type"] = "Feature", ["properties"] = new JsonObject { ["name"] = $"{baseName}|c{i}" } };
        return client.SendAsync(HttpMethod.Patch, url, body.ToJsonString(), etag);
    }
}
