using Npgsql;

namespace GridMap.Data;

/// Where GridMap's database is, for the service, the command line and the benchmarks alike: the connection
/// string in GRIDMAP_DB when set, else the private cluster in data/db of the checkout (started if needed).
public static class DatabaseLocation
{
    /// Configuration key (and environment variable) holding the connection string of an existing database.
    public const string ConnectionKey = "GRIDMAP_DB";

    /// The configured connection string, or else the private cluster's (started if it is not running),
    /// with the application name set so that pg_stat_activity shows who is connected.
    public static string ResolveConnectionString(string? configured)
    {
        var connectionString = string.IsNullOrWhiteSpace(configured)
            ? new LocalCluster(LocalClusterDirectory()).StartAsync().GetAwaiter().GetResult()
            : configured;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName))
            builder.ApplicationName = "gridmap";
        return builder.ConnectionString;
    }

    public static string LocalClusterDirectory() => Path.Combine(LocalCluster.FindProjectRoot(), "data", "db");
}
