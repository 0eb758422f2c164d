using GridMap.Data;

namespace GridMap.Cli;

/// `gridmap db start|stop|status|migrate|backup FILE|restore FILE`: the private cluster in data/db, or GRIDMAP_DB.
public static class DbCommand
{
    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var options = new Options(args);
        options.RejectUnknown();
        var action = options.Positional.FirstOrDefault() ?? throw new UsageException("db needs start, stop, status, migrate, backup FILE or restore FILE");
        var external = Environment.GetEnvironmentVariable(DatabaseLocation.ConnectionKey);
        if (!string.IsNullOrWhiteSpace(external) && action is "start" or "stop")
        {
            Console.Error.WriteLine($"{DatabaseLocation.ConnectionKey} is set: that database is managed elsewhere; nothing to {action}.");
            return 0;
        }
        var cluster = new LocalCluster(DatabaseLocation.LocalClusterDirectory());
        switch (action)
        {
            case "start":
                var connectionString = await cluster.StartAsync(ct);
                await using (var dataSource = GridMapDataSource.Create(connectionString))
                    await Migrations.ApplyAsync(dataSource, ct);
                Console.Error.WriteLine($"running in {cluster.Directory} on 127.0.0.1:{cluster.Port}");
                return 0;
            case "stop":
                await cluster.StopAsync(immediate: false, ct);
                Console.Error.WriteLine("stopped");
                return 0;
            case "status":
                if (!string.IsNullOrWhiteSpace(external))
                    Console.WriteLine($"using {DatabaseLocation.ConnectionKey}");
                else
                    Console.WriteLine(cluster.IsRunning ? $"running in {cluster.Directory} on 127.0.0.1:{cluster.Port}" : $"stopped ({cluster.Directory})");
                return cluster.IsRunning || !string.IsNullOrWhiteSpace(external) ? 0 : 3;
            case "migrate":
                await using (var dataSource = await CliDatabase.OpenAsync(ct))
                    Console.Error.WriteLine("schema is up to date");
                return 0;
            case "backup" or "restore":
                var file = options.Positional.ElementAtOrDefault(1) ?? throw new UsageException($"db {action} needs a FILE");
                var target = DatabaseLocation.ResolveConnectionString(external);
                try
                {
                    if (action == "backup")
                        await DatabaseBackup.BackupAsync(target, file, ct);
                    else
                        await DatabaseBackup.RestoreAsync(target, file, ct);
                }
                catch (Exception e) when (e is DatabaseBackupException or FileNotFoundException)
                {
                    Console.Error.WriteLine($"gridmap: {e.Message}");
                    return 1;
                }
                Console.Error.WriteLine(action == "backup" ? $"backed up to {file}" : $"restored from {file}");
                return 0;
            default:
                throw new UsageException($"unknown db action '{action}'; use start, stop, status, migrate, backup FILE or restore FILE");
        }
    }
}
