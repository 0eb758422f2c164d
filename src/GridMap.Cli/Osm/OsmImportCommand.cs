using GridMap.Operations.Osm;

namespace GridMap.Cli.Osm;

/// `gridmap import osm FILE [--replace] [--station-tags k=v,…]`: .osm (XML) or .osm.pbf (through osmium).
public static class OsmImportCommand
{
    public static async Task<int> RunAsync(Options options, CancellationToken ct)
    {
        var replace = options.Has("replace");
        var stationTags = options.Get("station-tags")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        options.RejectUnknown();
        if (options.Positional.Count != 2)
            throw new UsageException("usage: import osm FILE [--replace] [--station-tags amenity=community_centre,office=government]");
        await using var dataSource = await CliDatabase.OpenAsync(ct);
        var counts = await OsmImport.ImportAsync(dataSource, options.Positional[1], replace, stationTags, Console.Error, ct);
        Console.Error.WriteLine(OsmImport.Describe(counts));
        return 0;
    }
}
