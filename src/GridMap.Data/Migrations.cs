using System.Reflection;
using Npgsql;

namespace GridMap.Data;

/// Applies the embedded Schema/NNN_*.sql files in order, each once, each in its own transaction.
/// An advisory lock keeps two starting instances from applying the same file twice.
public static class Migrations
{
    private const long AdvisoryLockKey = 0x6772_6964_6d61_70; // "gridmap"

    public static IReadOnlyList<(string Name, string Sql)> All()
    {
        var assembly = typeof(Migrations).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith(".sql", StringComparison.Ordinal) && n.Contains(".Schema.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (Name: n[(n.IndexOf(".Schema.", StringComparison.Ordinal) + 8)..], Sql: Read(assembly, n)))
            .ToList();
    }

    /// Returns the names of the files applied now (empty when the database was up to date).
    public static async Task<IReadOnlyList<string>> ApplyAsync(NpgsqlDataSource dataSource, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using (var create = new NpgsqlCommand(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
            connection))
        {
            await create.ExecuteNonQueryAsync(ct);
        }
        var applied = new List<string>();
        foreach (var (name, sql) in All())
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", connection, transaction))
                await lockCommand.ExecuteNonQueryAsync(ct);
            await using (var check = new NpgsqlCommand("SELECT 1 FROM schema_migrations WHERE name = $1", connection, transaction))
            {
                check.Parameters.AddWithValue(name);
                if (await check.ExecuteScalarAsync(ct) is not null)
                    continue;
            }
            await using (var apply = new NpgsqlCommand(sql, connection, transaction))
                await apply.ExecuteNonQueryAsync(ct);
            await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (name) VALUES ($1)", connection, transaction))
            {
                record.Parameters.AddWithValue(name);
                await record.ExecuteNonQueryAsync(ct);
            }
            await transaction.CommitAsync(ct);
            applied.Add(name);
        }
        // The data source read the database's types when its first connection opened; a migration that
        // created them (CREATE EXTENSION postgis in 001) left it without geometry, and NTS parameters would
        // then fail with "Writing values of 'NetTopologySuite.Geometries.Polygon' is not supported". Pooled
        // connections pick the reloaded types up when they are next opened.
        if (applied.Count > 0)
            await connection.ReloadTypesAsync(ct);
        return applied;
    }

    private static string Read(Assembly assembly, string resourceName)
    {
        using var stream = assembly.GetManifestResourceStream(resourceName)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
