using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace GridMap.Data;

/// <summary>
/// GridMap's own PostgreSQL + PostGIS cluster in a folder (data/, postgres.log, port, the Unix socket),
/// run with initdb and pg_ctl: no Docker, no system service. It listens on 127.0.0.1 only and trusts
/// local connections as user postgres. Under root, the tools run as the postgres user through runuser,
/// because initdb and pg_ctl refuse root.
/// </summary>
public sealed class LocalCluster
{
    private const string PostgresRoot = "/usr/lib/postgresql";
    private const int MaxSocketPathBytes = 107;
    private static readonly bool RunningAsRoot = Environment.UserName == "root";

    private readonly bool _durable;
    private string? _bin;

    /// <param name="directory">Folder of the cluster; created if missing.</param>
    /// <param name="durable">False turns off fsync, synchronous_commit and full_page_writes: for throwaway test clusters only.</param>
    public LocalCluster(string directory, bool durable = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
        _durable = durable;
    }

    /// <summary>Absolute path of the cluster's folder.</summary>
    public string Directory { get; }

    /// <summary>Whether the server runs, as pg_ctl status tells (one process start per call).</summary>
    public bool IsRunning => IsRunningAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Port of the running cluster; null when it is not running.</summary>
    public int? Port => IsRunning ? ReadPort() : null;

    private string DataDirectory => Path.Combine(Directory, "data");
    private string LogFile => Path.Combine(Directory, "postgres.log");
    private string PortFile => Path.Combine(Directory, "port");
    private string Bin => _bin ??= FindPostgresBin();

    /// <summary>
    /// Creates the cluster if needed, starts it if it is not running (on the port it had before when that is
    /// still free, else on a free one), ensures database "gridmap" with PostGIS, and returns its connection string.
    /// </summary>
    /// <exception cref="LocalClusterException">initdb, pg_ctl or PostGIS failed, or user postgres cannot enter the folder.</exception>
    public async Task<string> StartAsync(CancellationToken ct = default)
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (RunningAsRoot)
            await HandToPostgresUserAsync(ct);
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
            await InitDbAsync(ct);
        if (!await IsRunningAsync(ct))
        {
            var port = ChoosePort(ReadPort());
            await File.WriteAllTextAsync(PortFile, port.ToString(CultureInfo.InvariantCulture), ct);
            await RunCheckedAsync("pg_ctl start", Path.Combine(Bin, "pg_ctl"),
                ["start", "-w", "-s", "-D", DataDirectory, "-l", LogFile, "-o", ServerOptions(port)], ct);
        }
        await EnsureGridMapDatabaseAsync(ct);
        return ConnectionString();
    }

    /// <summary>
    /// Stops the cluster if it runs: "fast" mode (clients are disconnected, data is checkpointed) or "immediate"
    /// (no checkpoint; crash recovery on next start). Pooled Npgsql connections to it are broken afterwards.
    /// </summary>
    public async Task StopAsync(bool immediate = false, CancellationToken ct = default)
    {
        if (!await IsRunningAsync(ct))
            return;
        await RunCheckedAsync("pg_ctl stop", Path.Combine(Bin, "pg_ctl"),
            ["stop", "-w", "-s", "-D", DataDirectory, "-m", immediate ? "immediate" : "fast"], ct);
    }

    /// <summary>Stops the cluster immediately and removes its folder with everything in it.</summary>
    public void Delete()
    {
        if (!System.IO.Directory.Exists(Directory))
            return;
        StopAsync(immediate: true).GetAwaiter().GetResult();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <summary>Connection string for <paramref name="database"/> as user postgres over 127.0.0.1.</summary>
    /// <exception cref="InvalidOperationException">The cluster has never been started, so it has no port.</exception>
    public string ConnectionString(string database = "gridmap")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        var port = ReadPort() ?? throw new InvalidOperationException($"The cluster in {Directory} has no port yet; call StartAsync first.");
        return new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "postgres", Database = database }.ConnectionString;
    }

    /// <summary>The bin folder of the newest PostgreSQL under /usr/lib/postgresql that has pg_ctl.</summary>
    /// <exception cref="LocalClusterException">No PostgreSQL server is installed there.</exception>
    public static string FindPostgresBin()
    {
        var candidates = System.IO.Directory.Exists(PostgresRoot) ? System.IO.Directory.GetDirectories(PostgresRoot) : [];
        var newest = candidates
            .Where(d => File.Exists(Path.Combine(d, "bin", "pg_ctl")))
            .Select(d => (Dir: d, Version: double.TryParse(Path.GetFileName(d), CultureInfo.InvariantCulture, out var v) ? v : 0))
            .OrderByDescending(c => c.Version)
            .FirstOrDefault();
        return newest.Dir is null
            ? throw new LocalClusterException(
                $"No PostgreSQL server found: no {PostgresRoot}/*/bin/pg_ctl. Install one: apt-get install postgresql-15 postgresql-15-postgis-3.",
                $"{PostgresRoot} holds: [{string.Join(", ", candidates)}]")
            : Path.Combine(newest.Dir, "bin");
    }

    /// <summary>
    /// The folder holding GridMap.sln, searched upwards from <paramref name="start"/> (default: the current
    /// directory, then the application's base directory). Environment variable GRIDMAP_HOME overrides the search.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No GridMap.sln at or above the start folders.</exception>
    public static string FindProjectRoot(string? start = null)
    {
        var home = Environment.GetEnvironmentVariable("GRIDMAP_HOME");
        if (!string.IsNullOrWhiteSpace(home))
            return Path.GetFullPath(home);
        string[] starts = start is null ? [System.IO.Directory.GetCurrentDirectory(), AppContext.BaseDirectory] : [start];
        foreach (var first in starts)
        {
            for (var dir = new DirectoryInfo(Path.GetFullPath(first)); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "GridMap.sln")))
                    return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No GridMap.sln in {string.Join(" or ", starts)} or any folder above; set GRIDMAP_HOME to the project folder.");
    }

    private async Task<bool> IsRunningAsync(CancellationToken ct) =>
        File.Exists(Path.Combine(DataDirectory, "PG_VERSION"))
        && (await RunAsync(Path.Combine(Bin, "pg_ctl"), ["status", "-D", DataDirectory], ct)).ExitCode == 0;

    private async Task HandToPostgresUserAsync(CancellationToken ct)
    {
        var chown = await RunAsync("chown", ["postgres:postgres", Directory], ct, asPostgres: false);
        if (chown.ExitCode != 0)
            throw new LocalClusterException($"Could not give {Directory} to user postgres.", chown.Output);
        var probe = await RunAsync("test", ["-w", Directory, "-a", "-x", Directory], ct);
        if (probe.ExitCode != 0)
        {
            var closed = new DirectoryInfo(Directory).Parent;
            while (closed is not null && !OperatingSystem.IsWindows() && File.GetUnixFileMode(closed.FullName).HasFlag(UnixFileMode.OtherExecute))
                closed = closed.Parent;
            throw new LocalClusterException(
                $"User postgres cannot enter {Directory}" + (closed is null ? "." : $": {closed.FullName} is closed to other users.")
                + " Put the cluster under a folder every user can traverse (e.g. /tmp or /srv), not under /root.",
                probe.Output);
        }
    }

    private async Task InitDbAsync(CancellationToken ct)
    {
        List<string> args = ["-D", DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"];
        if (!_durable)
            args.Add("--no-sync");
        await RunCheckedAsync("initdb", Path.Combine(Bin, "initdb"), args, ct);
    }

    // pg_ctl hands -o to /bin/sh, hence the single quotes. A socket path over 107 bytes would stop the
    // server from starting, so a deep folder gets no Unix socket; clients use TCP anyway.
    private string ServerOptions(int port)
    {
        var socketPath = Path.Combine(Directory, $".s.PGSQL.{port}");
        var socketDirectory = System.Text.Encoding.UTF8.GetByteCount(socketPath) <= MaxSocketPathBytes ? Directory : "";
        var options = $"-p {port} -c listen_addresses=127.0.0.1 -k '{socketDirectory.Replace("'", "'\\''")}'";
        return _durable ? options : options + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
    }

    private async Task EnsureGridMapDatabaseAsync(CancellationToken ct)
    {
        // No pooling: "gridmap" serves as a template for test databases, and CREATE DATABASE … TEMPLATE
        // fails while any session, even an idle pooled one, is connected to the template.
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString("postgres")) { Pooling = false };
        await using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = 'gridmap'", connection);
            if (await exists.ExecuteScalarAsync(ct) is null)
            {
                await using var create = new NpgsqlCommand("CREATE DATABASE gridmap", connection);
                await create.ExecuteNonQueryAsync(ct);
            }
        }
        builder.Database = "gridmap";
        await using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var postgis = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS postgis", connection);
            try
            {
                await postgis.ExecuteNonQueryAsync(ct);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedFile or PostgresErrorCodes.FeatureNotSupported)
            {
                throw new LocalClusterException($"PostGIS is not installed for {Bin}: apt-get install postgresql-15-postgis-3.", e.MessageText);
            }
        }
    }

    private int? ReadPort() =>
        File.Exists(PortFile) && int.TryParse(File.ReadAllText(PortFile).Trim(), CultureInfo.InvariantCulture, out var port) ? port : null;

    private static int ChoosePort(int? previous)
    {
        if (previous is int port && IsFree(port))
            return port;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task RunCheckedAsync(string step, string program, IEnumerable<string> args, CancellationToken ct)
    {
        var result = await RunAsync(program, args, ct);
        if (result.ExitCode != 0)
            throw new LocalClusterException($"{step} failed (exit code {result.ExitCode}) for the cluster in {Directory}.", Evidence(result.Output));
    }

    private string Evidence(string output)
    {
        var log = File.Exists(LogFile) ? File.ReadLines(LogFile).TakeLast(20) : [];
        return string.Join(Environment.NewLine, new[] { output }.Concat(log).Where(line => line.Length > 0));
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> args, CancellationToken ct, bool asPostgres = true)
    {
        var start = new ProcessStartInfo
        {
            FileName = program,
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (asPostgres && RunningAsRoot)
        {
            start.FileName = "runuser";
            foreach (var arg in new[] { "-u", "postgres", "--", program })
                start.ArgumentList.Add(arg);
        }
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new LocalClusterException($"Could not start {start.FileName}.", "");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, ((await stdout) + (await stderr)).Trim());
    }
}
