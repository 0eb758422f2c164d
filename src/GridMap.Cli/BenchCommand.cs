namespace GridMap.Cli;

/// `gridmap bench coverage|split|tiles`: each prints its figures, then `ratio NAME: X (what against what)`.
public static class BenchCommand
{
    public static async Task<int> RunAsync(string[] args) => args.FirstOrDefault() switch
    {
        "coverage" => await CoverageBench.RunAsync(args[1..]),
        "tiles" => await TileBench.RunAsync(args[1..]),
        _ => throw new UsageException("usage: bench coverage|tiles [--osm FILE]"),
    };
}
