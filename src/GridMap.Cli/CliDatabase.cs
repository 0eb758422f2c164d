using GridMap.Data;
using Npgsql;

namespace GridMap.Cli;

/// The database the CLI works on: GRIDMAP_DB when set, else the private cluster (started if needed).
/// Migrations are applied before any command uses it.
public static class CliDatabase
{
    public static async Task<NpgsqlDataSource> OpenAsync(CancellationToken ct)
    {
        var connectionString = DatabaseLocation.ResolveConnectionString(Environment.GetEnvironmentVariable(DatabaseLocation.ConnectionKey));
        var dataSource = GridMapDataSource.Create(connectionString);
        foreach (var name in await Migrations.ApplyAsync(dataSource, ct))
            Console.Error.WriteLine($"applied migration {name}");
        return dataSource;
    }

    public static Layer Layer(string id) => Layers.Find(id)
        ?? throw new UsageException($"unknown layer '{id}'; layers: {string.Join(", ", Layers.All.Select(l => l.Id))}");
}
