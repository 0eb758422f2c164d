using GridMap.Data;
using Npgsql;

namespace GridMap.IntegrationTests.Support;

[CollectionDefinition("postgres")]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;

/// <summary>
/// One PostgreSQL server for the "postgres" collection: the server named by GRIDMAP_TEST_DB when set, else a
/// throwaway <see cref="LocalCluster"/> in /tmp that is deleted afterwards. Test classes take their own
/// database from <see cref="CreateDatabaseAsync"/>, copied from a template that already has PostGIS.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private const string ExternalTemplate = "gridmap_test_template";

    private readonly List<string> _createdDatabases = [];
    private LocalCluster? _cluster;
    private string _serverConnectionString = "";
    private string _template = "";

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("GRIDMAP_TEST_DB");
        if (string.IsNullOrWhiteSpace(external))
        {
            _cluster = new LocalCluster(NewTempFolder("gridmap-test-"), durable: false);
            await _cluster.StartAsync();
            _serverConnectionString = _cluster.ConnectionString("postgres");
            _template = "gridmap";
        }
        else
        {
            _serverConnectionString = external;
            _template = ExternalTemplate;
            await EnsureExternalTemplateAsync();
        }
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_cluster is not null)
        {
            _cluster.Delete();
            return;
        }
        foreach (var name in _createdDatabases)
            await ExecuteAsync(null, $"DROP DATABASE IF EXISTS {Quote(name)} WITH (FORCE)");
    }

    /// <summary>Creates database <paramref name="name"/> afresh (dropping an old one), with PostGIS, and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var connectionString = new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = name }.ConnectionString;
        // DROP … WITH (FORCE) kills idle pooled sessions of an earlier database of this name; the pool would hand them out again.
        using (var pooled = new NpgsqlConnection(connectionString))
            NpgsqlConnection.ClearPool(pooled);
        await ExecuteAsync(null, $"DROP DATABASE IF EXISTS {Quote(name)} WITH (FORCE)");
        await ExecuteAsync(null, $"CREATE DATABASE {Quote(name)} TEMPLATE {Quote(_template)}");
        lock (_createdDatabases)
            _createdDatabases.Add(name);
        return connectionString;
    }

    /// <summary>
    /// A new empty folder under /tmp with mode 0755. Not Path.GetTempPath(): TMPDIR may point into /root, which
    /// user postgres cannot enter, and Directory.CreateTempSubdirectory makes 0700 folders.
    /// </summary>
    internal static string NewTempFolder(string prefix)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("Test clusters need PostgreSQL from /usr/lib/postgresql.");
        var path = Path.Combine("/tmp", prefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
            | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return path;
    }

    private async Task EnsureExternalTemplateAsync()
    {
        await using (var connection = await OpenAsync(null))
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
            exists.Parameters.AddWithValue(ExternalTemplate);
            if (await exists.ExecuteScalarAsync() is null)
                await ExecuteAsync(null, $"CREATE DATABASE {Quote(ExternalTemplate)}");
        }
        await ExecuteAsync(ExternalTemplate, "CREATE EXTENSION IF NOT EXISTS postgis");
    }

    private async Task ExecuteAsync(string? database, string sql)
    {
        await using var connection = await OpenAsync(database);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    // Unpooled: an idle pooled session on the template would make CREATE DATABASE … TEMPLATE fail.
    private async Task<NpgsqlConnection> OpenAsync(string? database)
    {
        var builder = new NpgsqlConnectionStringBuilder(_serverConnectionString) { Pooling = false };
        if (database is not null)
            builder.Database = database;
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
