using System.Net;
using GridMap.Data;
using GridMap.IntegrationTests.Support;
using GridMap.Load;
using Npgsql;

namespace GridMap.IntegrationTests.Api;

/// The database stops under a running service and comes back: 503 with Retry-After meanwhile, and the
/// service answers again by itself, without a restart.
[Collection("postgres")]
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    // Durable, so an immediate stop cannot lose the rows written just before it.
    private readonly LocalCluster _cluster = new(PostgresFixture.NewTempFolder("gridmap-outage-"), durable: true);
    private ApiFactory _factory = null!;
    private string _plannerKey = "";

    public async Task InitializeAsync()
    {
        var connectionString = await _cluster.StartAsync();
        await using (var dataSource = GridMapDataSource.Create(connectionString))
        {
            await Migrations.ApplyAsync(dataSource);
            await using var insert = dataSource.CreateCommand(
                "INSERT INTO stations (name, geom) VALUES ('驿站', ST_SetSRID(ST_MakePoint(117.88, 31.6), 4326))");
            await insert.ExecuteNonQueryAsync();
            _plannerKey = (await new ApiKeyStore(dataSource).CreateAsync("停库测试", "planner")).Secret;
        }
        _factory = new ApiFactory(connectionString + ";Timeout=3");
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _cluster.Delete();
    }

    [Fact]
    public async Task DatabaseStopsAndReturns_503ThenRecoversWithoutRestart()
    {
        var client = _factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/collections/stations/items")).StatusCode);

        await _cluster.StopAsync(immediate: true);
        var during = await client.GetAsync("/collections/stations/items");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), during.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);

        await _cluster.StartAsync();
        var after = await client.GetAsync("/collections/stations/items");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(1, (int)(await after.JsonAsync())["numberMatched"]!);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    /// The fast version of `gridmap-load outage`: steady reads and writes while the database is down 2 s.
    [Fact]
    public async Task UnderLoad_DatabaseDown_503WithRetryAfter_RecoversWithin5s_NoHalfWrites()
    {
        var planner = Planner();
        var created = await planner.PostAsync("/collections/grids/items",
            Http.GeoJson(Http.Square(117.88, 31.60, 0.002, """{"name":"停库网格"}""")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var outage = await Outage.RunAsync(Planner, created.Headers.Location!.ToString(), TimeSpan.FromSeconds(2),
            () => _cluster.StopAsync(), async () => await _cluster.StartAsync());

        Assert.True(outage.Passed, outage.Summary());
        Assert.Contains(outage.Samples, s => s.Status == 503);
        Assert.True(outage.SuccessfulWrites > 0, outage.Summary());
    }

    private HttpClient Planner()
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", _plannerKey);
        return client;
    }
}
