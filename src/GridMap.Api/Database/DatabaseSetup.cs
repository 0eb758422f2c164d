using GridMap.Data;
using Npgsql;

namespace GridMap.Api.Database;

public static class DatabaseSetup
{
    public static void AddGridMapDatabase(this IServiceCollection services)
    {
        services.AddSingleton(provider =>
        {
            var configuration = provider.GetRequiredService<IConfiguration>();
            var connectionString = DatabaseLocation.ResolveConnectionString(configuration[DatabaseLocation.ConnectionKey]);
            return GridMapDataSource.Create(connectionString, "gridmap");
        });
        services.AddSingleton<FeatureStore>();
        services.AddSingleton<ApiKeyStore>();
        services.AddHostedService<MigrateOnStart>();
    }

    /// Applies migrations at start. When the database is unreachable the service still starts (reads
    /// answer 503) and keeps trying, so it recovers by itself when the database returns.
    private sealed class MigrateOnStart(NpgsqlDataSource dataSource, ILogger<MigrateOnStart> logger) : BackgroundService
    {
        public override async Task StartAsync(CancellationToken cancellationToken)
        {
            if (!await TryMigrateAsync(cancellationToken))
                await base.StartAsync(cancellationToken);
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(Errors.ErrorHandling.RetryAfterSeconds), stoppingToken);
                if (await TryMigrateAsync(stoppingToken))
                    return;
            }
        }

        private async Task<bool> TryMigrateAsync(CancellationToken ct)
        {
            try
            {
                foreach (var name in await Migrations.ApplyAsync(dataSource, ct))
                    logger.LogInformation("Applied migration {Name}", name);
                return true;
            }
            catch (Exception e) when (Errors.ErrorHandling.IsDatabaseUnavailable(e))
            {
                logger.LogWarning("Database unavailable, migrations will be retried: {Message}", e.Message);
                return false;
            }
        }
    }
}
