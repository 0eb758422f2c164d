using GridMap.Data;
using Npgsql;
using Testcontainers.PostgreSql;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace GridMap.IntegrationTests.Support;

[CollectionDefinition("postgres")]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;

/// <summary>
/// One PostgreSQL server for the "postgres" collection (and the browser tests' viewer), the first of:
/// <list type="number">
/// <item>the server named by GRIDMAP_TEST_DB;</item>
/// <item>a container of the test image (PostGIS and pgRouting from Debian packages, tests/docker, built by
/// scripts/test-image.sh) when a Docker engine answers, started with Testcontainers and removed afterwards;</item>
/// <item>a throwaway <see cref="LocalCluster"/> in /tmp, deleted afterwards, when there is no engine or no image
/// (a developer's machine without Docker). Under CI=true that is a failure instead: CI always runs the tests
/// against the container.</item>
/// </list>
/// Test classes take their own database from <see cref="CreateDatabaseAsync"/>, copied from a template that
/// already has PostGIS.
/// </summary>
public sealed class PostgresFixture(IMessageSink messages) : IAsyncLifetime
{
    private const string ExternalTemplate = "gridmap_test_template";
    private const string ContainerTemplate = "gridmap";

    private readonly List<string> _createdDatabases = [];
    private LocalCluster? _cluster;
    private PostgreSqlContainer? _container;
    private string _serverConnectionString = "";
    private string _template = "";

    /// <summary>Which server the tests run against, in words (also reported as a diagnostic message).</summary>
    public string Server { get; private set; } = "";

    private static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("GRIDMAP_TEST_DB");
        if (!string.IsNullOrWhiteSpace(external))
        {
            _serverConnectionString = external;
            _template = ExternalTemplate;
            await EnsureTemplateAsync(ExternalTemplate);
            Say($"GRIDMAP_TEST_DB ({new NpgsqlConnectionStringBuilder(external).Host})");
            return;
        }
        var image = DockerEngine.TestImage();
        var (engine, why) = await DockerEngine.FindAsync();
        if (engine is not null && !await engine.HasImageAsync(image))
        {
            why = $"the Docker engine at {engine.Endpoint} has no image {image}; build it with scripts/test-image.sh (./test.sh does)";
            engine = null;
        }
        if (engine is not null)
        {
            engine.ConfigureTestcontainers();
            await StartContainerAsync(image);
            Say($"container {image} ({_container!.Id[..12]}) on 127.0.0.1:{_container.GetMappedPublicPort(5432)}");
            return;
        }
        if (OnCi)
            throw new InvalidOperationException($"CI=true needs the test database in a container, but {why}.");
        _cluster = new LocalCluster(NewTempFolder("gridmap-test-"), durable: false);
        await _cluster.StartAsync();
        _serverConnectionString = _cluster.ConnectionString("postgres");
        _template = "gridmap";
        Say($"private cluster in {_cluster.Directory}, because {why}");
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_container is not null)
        {
            await _container.DisposeAsync();
            return;
        }
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

    // A separate method: Testcontainers reads its settings from the environment when its types are first used,
    // which must come after DockerEngine.ConfigureTestcontainers.
    private async Task StartContainerAsync(string image)
    {
        // The image made "gridmap" (POSTGRES_DB) from a template1 that has PostGIS and pgRouting; the builder adds
        // fsync=off, synchronous_commit=off and full_page_writes=off, as for the private cluster.
        _container = new PostgreSqlBuilder(image)
            .WithDatabase(ContainerTemplate)
            .WithUsername("postgres")
            .WithPassword("gridmap-test")
            .Build();
        await _container.StartAsync();
        _serverConnectionString = new NpgsqlConnectionStringBuilder(_container.GetConnectionString()) { Database = "postgres" }.ConnectionString;
        _template = ContainerTemplate;
        await EnsureTemplateAsync(ContainerTemplate);
    }

    private void Say(string server)
    {
        Server = server;
        messages.OnMessage(new DiagnosticMessage($"GridMap test database: {server}")); // shown by dotnet test: xunit.runner.json turns diagnosticMessages on
    }

    private async Task EnsureTemplateAsync(string template)
    {
        await using (var connection = await OpenAsync(null))
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
            exists.Parameters.AddWithValue(template);
            if (await exists.ExecuteScalarAsync() is null)
                await ExecuteAsync(null, $"CREATE DATABASE {Quote(template)}");
        }
        await ExecuteAsync(template, "CREATE EXTENSION IF NOT EXISTS postgis");
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
