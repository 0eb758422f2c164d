using System.Diagnostics;
using GridMap.Data;
using GridMap.IntegrationTests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace GridMap.IntegrationTests.Data;

public sealed class LocalClusterTests(ITestOutputHelper output) : IDisposable
{
    private readonly List<LocalCluster> _clusters = [];

    [Fact]
    public async Task StartAsync_NewFolder_RunsGridMapDatabaseWithPostGis()
    {
        var cluster = NewCluster(durable: false);

        var watch = Stopwatch.StartNew();
        var connectionString = await cluster.StartAsync();
        output.WriteLine($"initdb + start + database + postgis: {watch.Elapsed.TotalSeconds:F2} s");

        Assert.True(cluster.IsRunning);
        Assert.NotNull(cluster.Port);
        Assert.Contains($"Port={cluster.Port}", connectionString);
        Assert.Equal("gridmap", await ScalarAsync(connectionString, "SELECT current_database()"));
        Assert.StartsWith("3.", (string?)await ScalarAsync(connectionString, "SELECT postgis_version()"));
        Assert.Equal("127.0.0.1/32", await ScalarAsync(connectionString, "SELECT inet_server_addr()::text"));
    }

    [Fact]
    public async Task StartAsync_AlreadyRunning_ReturnsSameConnectionString()
    {
        var cluster = NewCluster(durable: false);
        var first = await cluster.StartAsync();

        var second = await cluster.StartAsync();

        Assert.Equal(first, second);
        Assert.True(cluster.IsRunning);
    }

    [Fact]
    public async Task StartAsync_DurableClusterStoppedAndStarted_KeepsDataAndPort()
    {
        var cluster = NewCluster(durable: true);
        var connectionString = Unpooled(await cluster.StartAsync());
        var port = cluster.Port;
        await ExecuteAsync(connectionString, "CREATE TABLE stations (name text); INSERT INTO stations VALUES ('党群服务站')");

        await cluster.StopAsync();
        Assert.False(cluster.IsRunning);
        Assert.Null(cluster.Port);
        var watch = Stopwatch.StartNew();
        var restarted = Unpooled(await cluster.StartAsync());
        output.WriteLine($"restart: {watch.Elapsed.TotalSeconds:F2} s");

        Assert.Equal(port, cluster.Port);
        Assert.Equal("党群服务站", await ScalarAsync(restarted, "SELECT name FROM stations"));
    }

    [Fact]
    public async Task Delete_RunningCluster_StopsItAndRemovesTheFolder()
    {
        var cluster = NewCluster(durable: false);
        var connectionString = Unpooled(await cluster.StartAsync());

        cluster.Delete();

        Assert.False(Directory.Exists(cluster.Directory));
        Assert.False(cluster.IsRunning);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ScalarAsync(connectionString, "SELECT 1"));
    }

    [RootFact]
    public async Task StartAsync_FolderClosedToPostgresUser_ThrowsNamingTheClosedFolder()
    {
        var closed = PostgresFixture.NewTempFolder("gridmap-closed-");
        if (OperatingSystem.IsWindows())
            return;
        File.SetUnixFileMode(closed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var cluster = new LocalCluster(Path.Combine(closed, "cluster"));

            var e = await Assert.ThrowsAsync<LocalClusterException>(() => cluster.StartAsync());

            Assert.Contains($"{closed} is closed to other users", e.Message);
        }
        finally
        {
            Directory.Delete(closed, recursive: true);
        }
    }

    public void Dispose()
    {
        foreach (var cluster in _clusters)
            cluster.Delete();
    }

    private LocalCluster NewCluster(bool durable)
    {
        var cluster = new LocalCluster(PostgresFixture.NewTempFolder("gridmap-cluster-"), durable);
        _clusters.Add(cluster);
        return cluster;
    }

    private static string Unpooled(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    // Only root hands the folder to user postgres; any other user owns its folders and gets in.
    private sealed class RootFactAttribute : FactAttribute
    {
        public RootFactAttribute()
        {
            if (OperatingSystem.IsWindows() || Environment.UserName != "root")
                Skip = "Runs only as root on Linux.";
        }
    }
}
