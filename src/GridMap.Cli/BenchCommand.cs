using System.Diagnostics;
using GridMap.Data;

namespace GridMap.Cli;

/// `gridmap bench coverage|split|tiles [--osm FILE]`: a thin entry to the benchmarks, which live in their
/// own project (tests/bench/GridMap.Benchmarks) so that no benchmark code ships in the product. Runs them
/// in a Release build and passes the exit code on.
public static class BenchCommand
{
    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var project = Path.Combine(LocalCluster.FindProjectRoot(), "tests", "bench", "GridMap.Benchmarks");
        if (!Directory.Exists(project))
            throw new UsageException($"the benchmarks are not in this checkout ({project})");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        foreach (var arg in new[] { "run", "-c", "Release", "--project", project, "--" }.Concat(args))
            start.ArgumentList.Add(arg);
        using var bench = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        await bench.WaitForExitAsync(ct);
        return bench.ExitCode;
    }
}
