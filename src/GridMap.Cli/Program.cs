namespace GridMap.Cli;

/// `gridmap COMMAND ...`: JSON goes to stdout, progress and logs to stderr.
public static class Program
{
    public static Task<int> Main(string[] args) => CommandLine.RunAsync(args);
}
