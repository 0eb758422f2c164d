namespace GridMap.Cli;

/// Dispatches `gridmap` commands. Each command lives in its own file; this is the table of contents.
public static class CommandLine
{
    public const string Usage = """
        gridmap serve [--urls URL]                 start the API and viewer (default http://127.0.0.1:5000)
        gridmap demo generate [--out DIR]          regenerate the demo city GeoJSON files (default data/demo)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.Error.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        try
        {
            return args[0] switch
            {
                _ => await Task.FromResult(Unknown(args[0])),
            };
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"gridmap: {e.Message}");
            return 2;
        }
    }

    private static int Unknown(string command)
    {
        Console.Error.WriteLine($"gridmap: unknown command '{command}'.\n{Usage}");
        return 2;
    }
}

/// A command line the user got wrong; printed without a stack trace, exit code 2.
public sealed class UsageException(string message) : Exception(message);
