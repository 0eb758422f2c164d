using System.Diagnostics;
using Npgsql;

namespace GridMap.Data;

/// `gridmap db backup|restore`: pg_dump's custom format, so a backup restores with the standard tools too.
/// A restore runs in one transaction: if it fails, the database keeps what it had.
public static class DatabaseBackup
{
    public static Task BackupAsync(string connectionString, string file, CancellationToken ct = default) =>
        RunAsync("pg_dump", connectionString, ["--format=custom", "--no-owner", "--file", Path.GetFullPath(file)], ct);

    public static Task RestoreAsync(string connectionString, string file, CancellationToken ct = default)
    {
        if (!File.Exists(file))
            throw new FileNotFoundException($"no backup file {file}", file);
        return RunAsync("pg_restore", connectionString,
            ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", Path.GetFullPath(file)], ct);
    }

    private static async Task RunAsync(string tool, string connectionString, string[] args, CancellationToken ct)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo
        {
            FileName = Path.Combine(LocalCluster.FindPostgresBin(), tool),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The password goes through the environment, never the command line (visible in ps) or a log.
        start.Environment["PGHOST"] = connection.Host ?? "127.0.0.1";
        start.Environment["PGPORT"] = connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = connection.Username ?? "postgres";
        start.Environment["PGDATABASE"] = connection.Database ?? "gridmap";
        if (!string.IsNullOrEmpty(connection.Password))
            start.Environment["PGPASSWORD"] = connection.Password;
        if (tool == "pg_restore")
            start.ArgumentList.Add($"--dbname={connection.Database ?? "gridmap"}");
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {tool}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        await stdout;
        var errors = (await stderr).Trim();
        if (process.ExitCode != 0)
            throw new DatabaseBackupException($"{tool} failed (exit code {process.ExitCode}): {errors}");
    }
}

/// pg_dump or pg_restore refused; the message carries their own explanation.
public sealed class DatabaseBackupException(string message) : Exception(message);
