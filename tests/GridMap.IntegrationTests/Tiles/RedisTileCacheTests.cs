using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GridMap.Api.Tiles;
using GridMap.Data.Tiles;
using GridMap.Operations.Tiles;
using GridMap.IntegrationTests.Support;

namespace GridMap.IntegrationTests.Tiles;

/// Two service instances share a real redis-server (apt) as their output cache store: a tile cached by one
/// is served by the other from Redis, and an edit through one evicts it for both.
[Collection("postgres")]
public sealed class RedisTileCacheTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string RedisServer = "/usr/bin/redis-server";

    private ApiTestContext _api = null!;
    private Process? _redis;
    private string _redisFolder = "";
    private int _port;

    public async Task InitializeAsync()
    {
        _api = await ApiFactory.StartAsync(postgres, "tiles_redis");
        await _api.ExecuteAsync(TileData.Sql);
        if (!File.Exists(RedisServer))
            return; // the test skips (fails under CI=true)
        _port = FreePort();
        _redisFolder = PostgresFixture.NewTempFolder("gridmap-redis-");
        _redis = Process.Start(new ProcessStartInfo(RedisServer,
            ["--port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _redisFolder])
        { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, _port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new InvalidOperationException("redis-server did not start");
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        if (_redis is not null)
        {
            _redis.Kill();
            await _redis.WaitForExitAsync();
            _redis.Dispose();
            Directory.Delete(_redisFolder, recursive: true);
        }
    }

    [SkippableFact]
    public async Task TwoInstances_ShareCachedTiles_AndAnEditEvictsForBoth()
    {
        RequiredTool.Require(RedisServer, "redis-server");
        var settings = new Dictionary<string, string> { [TileSetup.RedisKey] = $"127.0.0.1:{_port}" };
        await using var first = new TileApiFactory(_api.ConnectionString, settings);
        await using var second = new TileApiFactory(_api.ConnectionString, settings);
        var a = first.CreateClient();
        var b = second.CreateClient();
        var path = $"/tiles/grids/{TileData.TileAt(15, TileData.Lon, TileData.Lat)}.mvt";
        var far = $"/tiles/grids/{TileData.TileAt(15, TileData.FarLon, TileData.FarLat)}.mvt";

        using (var miss = await a.GetAsync(path))
            Assert.False(miss.Headers.Age.HasValue);
        (await a.GetAsync(far)).Dispose();
        using (var hit = await b.GetAsync(path))
            Assert.True(hit.Headers.Age.HasValue, "the second instance must serve the first one's tile from Redis");

        // Edit through the second instance; read through the first.
        var planner = second.CreateClient();
        planner.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _api.PlannerKey);
        using var item = await planner.GetAsync("/collections/grids/items/1");
        using var patch = await planner.SendAsync(HttpMethod.Patch, "/collections/grids/items/1",
            """{"type":"Feature","properties":{"name":"Redis改"}}""", item.ETag());
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);

        using var after = await a.GetAsync(path);
        Assert.False(after.Headers.Age.HasValue);
        var grid = Assert.Single(Assert.Single(MvtDecoder.Decode(await after.Content.ReadAsByteArrayAsync())).Features);
        Assert.Equal("Redis改", grid.Properties["name"]);
        using var farAfter = await b.GetAsync(far);
        Assert.True(farAfter.Headers.Age.HasValue, "a far tile stays cached in Redis");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
