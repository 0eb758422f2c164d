using System.Globalization;
using GridMap.Data;

using GridMap.Operations.Demo;

namespace GridMap.Cli.Demo;

/// `gridmap demo generate [--out DIR] [--seed N]`: writes the demo city's GeoJSON files (default data/demo).
public static class DemoCommand
{
    public static Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var options = new Options(args);
        var outText = options.Get("out");
        var seedText = options.Get("seed");
        options.RejectUnknown();
        if (options.Positional is not ["generate"])
            throw new UsageException("usage: demo generate [--out DIR] [--seed N]");
        var seed = DemoCityGenerator.DefaultSeed;
        if (seedText is not null && !int.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out seed))
            throw new UsageException($"--seed must be an integer, not '{seedText}'");
        var directory = outText ?? Path.Combine(LocalCluster.FindProjectRoot(), "data", "demo");
        var city = DemoCityGenerator.Generate(seed);
        city.WriteTo(directory);
        foreach (var (layer, features) in city.Layers)
            Console.Error.WriteLine($"demo: wrote {features.Count} {layer}");
        Console.Error.WriteLine($"demo: seed {seed}, files in {Path.GetFullPath(directory)}");
        return Task.FromResult(0);
    }
}
