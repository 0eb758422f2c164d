using System.Diagnostics;
using GridMap.Data;
using Npgsql;

namespace GridMap.Cli.Osm;

/// `gridmap import osm FILE [--replace] [--station-tags k=v,…]`: .osm (XML) or .osm.pbf (through osmium).
public static class OsmImportCommand
{
    public static async Task<int> RunAsync(Options options)
    {
        var replace = options.Has("replace");
        var stationTags = options.Get("station-tags")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            ?? OsmExtract.DefaultStationTags;
        options.RejectUnknown();
        if (options.Positional.Count != 2)
            throw new UsageException("usage: import osm FILE [--replace] [--station-tags amenity=community_centre,office=government]");
        await using var dataSource = await CliDatabase.OpenAsync();
        var counts = await ImportAsync(dataSource, options.Positional[1], replace, stationTags);
        Console.Error.WriteLine(Describe(counts));
        return 0;
    }

    public static string Describe(OsmImportCounts c) =>
        $"now in the database: {c.Roads:N0} roads ({c.RoadKilometers:N1} km walkable), {c.Buildings:N0} buildings " +
        $"({c.Households:N0} households, estimated), {c.Compounds:N0} compounds, {c.Stations:N0} stations";

    public static async Task<OsmImportCounts> ImportAsync(NpgsqlDataSource dataSource, string path, bool replace,
        IEnumerable<string>? stationTags = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        Console.Error.WriteLine($"reading {path}");
        var extract = new OsmExtract(stationTags ?? OsmExtract.DefaultStationTags);
        OsmXmlReader.Read(path, extract);
        extract.FinishRoads();
        Console.Error.WriteLine($"  {extract.Roads.Count:N0} walkable road pieces, {extract.Buildings.Count:N0} buildings, " +
                                $"{extract.Compounds.Count:N0} residential areas, {extract.Stations.Count:N0} candidate stations ({clock.ElapsedMilliseconds} ms)");
        Console.Error.WriteLine("writing (one transaction)");
        var counts = await new OsmStore(dataSource).ImportAsync(extract.Roads, extract.Buildings, extract.Compounds, extract.Stations, replace, ct);
        Console.Error.WriteLine($"  done in {clock.ElapsedMilliseconds} ms");
        return counts;
    }
}
