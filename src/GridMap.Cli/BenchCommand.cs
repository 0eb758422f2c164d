namespace GridMap.Cli;

/// `gridmap bench coverage|split|tiles [--osm FILE]`: each bench prints its figures, then `ratio NAME: X (…)` lines.
public static class BenchCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
            throw new UsageException("usage: bench split [--osm FILE]");
        return args[0] switch
        {
            "split" => await SplitBench.RunAsync(args[1..]),
            _ => throw new UsageException($"unknown bench '{args[0]}'"),
        };
    }
}
