using GridMap.Cli;

namespace GridMap.Benchmarks;

/// `gridmap bench coverage|split|tiles [--osm FILE]` (or `dotnet run -c Release --project
/// tests/bench/GridMap.Benchmarks -- coverage …`): each prints its figures, then `ratio NAME: X (…)` lines.
public static class BenchCommand
{
    public static async Task<int> Main(string[] args)
    {
        try
        {
            return args.FirstOrDefault() switch
            {
                "coverage" => await CoverageBench.RunAsync(args[1..]),
                "split" => await SplitBench.RunAsync(args[1..]),
                "tiles" => await TileBench.RunAsync(args[1..]),
                _ => throw new UsageException("usage: bench coverage|split|tiles [--osm FILE]"),
            };
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"gridmap bench: {e.Message}");
            return 2;
        }
    }
}
