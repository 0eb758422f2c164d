using System.Diagnostics;
using GridMap.Data;
using GridMap.Osm;
using Npgsql;

namespace GridMap.Operations.Osm;

/// Imports an OpenStreetMap extract (.osm XML, or .osm.pbf through osmium) into the database in one
/// transaction: walkable roads split at junctions, buildings, residential areas as compounds, stations.
public static class OsmImport
{
    public static string Describe(OsmImportCounts c) =>
        $"now in the database: {c.Roads:N0} roads ({c.RoadKilometers:N1} km walkable), {c.Buildings:N0} buildings " +
        $"({c.Households:N0} households, estimated), {c.Compounds:N0} compounds, {c.Stations:N0} stations";

    /// <param name="progress">Where progress lines go (the CLI passes stderr).</param>
    public static async Task<OsmImportCounts> ImportAsync(NpgsqlDataSource dataSource, string path, bool replace,
        IEnumerable<string>? stationTags, TextWriter progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        progress.WriteLine($"reading {path}");
        var extract = new OsmExtract(stationTags ?? OsmTagRules.DefaultStationTags);
        OsmXmlReader.Read(path, extract);
        extract.FinishRoads();
        progress.WriteLine($"  {extract.Roads.Count:N0} walkable road pieces, {extract.Buildings.Count:N0} buildings, " +
                           $"{extract.Compounds.Count:N0} residential areas, {extract.Stations.Count:N0} candidate stations ({clock.ElapsedMilliseconds} ms)");
        progress.WriteLine("writing (one transaction)");
        var counts = await new OsmStore(dataSource).ImportAsync(extract.Roads, extract.Buildings, extract.Compounds, extract.Stations, replace, ct);
        progress.WriteLine($"  done in {clock.ElapsedMilliseconds} ms");
        return counts;
    }
}
