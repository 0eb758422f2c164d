namespace GridMap.Cli;

/// `gridmap bench coverage|split|tiles [--osm FILE]`: each prints its figures, then `ratio NAME: X (…)` lines.
public static class BenchCommand
{
    public static async Task<int> RunAsync(string[] args) => args.FirstOrDefault() switch
    {
        "coverage" => await CoverageBench.RunAsync(args[1..]),
        "split" => await SplitBench.RunAsync(args[1..]),
        "tiles" => await TileBench.RunAsync(args[1..]),
        _ => throw new UsageException("usage: bench coverage|split|tiles [--osm FILE]"),
    };
}
