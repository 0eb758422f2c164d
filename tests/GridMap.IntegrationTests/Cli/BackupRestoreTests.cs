using GridMap.Cli;
using GridMap.Operations.Demo;
using GridMap.Data;
using GridMap.IntegrationTests.Support;
using Npgsql;

namespace GridMap.IntegrationTests.Cli;

/// `gridmap db backup` then `gridmap db restore` brings the database back to the backed-up state;
/// a broken backup file changes nothing.
[Collection("postgres")]
public sealed class BackupRestoreTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly string _folder = PostgresFixture.NewTempFolder("gridmap-backup-");
    private string _connectionString = "";
    private string? _previousDb;

    public async Task InitializeAsync()
    {
        _connectionString = await postgres.CreateDatabaseAsync("cli_backup");
        await using (var dataSource = GridMapDataSource.Create(_connectionString))
            await GridMap.Data.Migrations.ApplyAsync(dataSource);
        _previousDb = Environment.GetEnvironmentVariable("GRIDMAP_DB");
        Environment.SetEnvironmentVariable("GRIDMAP_DB", _connectionString);
    }

    public Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("GRIDMAP_DB", _previousDb);
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Backup_ThenRestore_RoundTripsTheData()
    {
        await ExecuteAsync("INSERT INTO stations (name, kind, geom) VALUES ('湖滨社区服务中心', 'center', ST_SetSRID(ST_MakePoint(117.88, 31.60), 4326))");
        var backup = Path.Combine(_folder, "gridmap.dump");
        Assert.Equal(0, await CommandLine.RunAsync(["db", "backup", backup]));
        Assert.True(new FileInfo(backup).Length > 0);

        await ExecuteAsync("DELETE FROM stations");
        await ExecuteAsync("INSERT INTO stations (name, kind, geom) VALUES ('后来的驿站', 'yizhan', ST_SetSRID(ST_MakePoint(117.89, 31.61), 4326))");
        Assert.Equal(0, await CommandLine.RunAsync(["db", "restore", backup]));

        Assert.Equal("湖滨社区服务中心", await ScalarAsync("SELECT string_agg(name, ',') FROM stations"));
        Assert.Equal("117.88 31.6", await ScalarAsync("SELECT ST_X(geom) || ' ' || ST_Y(geom) FROM stations"));
        // The schema still works after the restore: triggers and sequences came back too.
        await ExecuteAsync("INSERT INTO stations (name, kind, geom) VALUES ('新驿站', 'yizhan', ST_SetSRID(ST_MakePoint(117.87, 31.60), 4326))");
        Assert.Equal("2", await ScalarAsync("SELECT count(*)::text FROM stations"));
    }

    [Fact]
    public async Task Restore_OfABrokenFile_FailsAndKeepsTheData()
    {
        await ExecuteAsync("INSERT INTO cameras (name, geom) VALUES ('东门', ST_SetSRID(ST_MakePoint(117.88, 31.60), 4326))");
        var broken = Path.Combine(_folder, "broken.dump");
        await File.WriteAllTextAsync(broken, "not a pg_dump archive");
        Assert.Equal(1, await CommandLine.RunAsync(["db", "restore", broken]));
        Assert.Equal(1, await CommandLine.RunAsync(["db", "restore", Path.Combine(_folder, "missing.dump")]));
        Assert.Equal(2, await CommandLine.RunAsync(["db", "restore"]));
        Assert.Equal("东门", await ScalarAsync("SELECT string_agg(name, ',') FROM cameras"));
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<string?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (string?)await command.ExecuteScalarAsync();
    }
}
