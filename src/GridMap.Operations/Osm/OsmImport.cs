using System.Diagnostics;
using GridMap.Data;
using GridMap.Osm;
using Npgsql;

namespace GridMap.Operations.Osm;

/// Imports an OpenStreetMap extract (.osm XML, or .osm.pbf through osmium) into the database in one
/// transaction: walkable roads split at junctions, buildings, residential areas as compounds, stations, and
/// derived communities (with one derived street) for the homes no community holds yet.
public static class OsmImport
{
    /// <summary>Derived communities are merged from blocks up to this many households.</summary>
    public const int DerivedCommunityMaxHouseholds = 5000;

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
        if (extract.Clipped.Any)
            progress.WriteLine($"  {extract.Clipped}");
        var existing = await new CommunityStore(dataSource).ReadCommunityAreasAsync(includeDerived: !replace, ct);
        var derivation = OsmCommunities.Derive(extract, existing, OsmStore.SquareMetersPerHousehold,
            new GridMap.Regions.DerivationOptions(MaxHouseholds: DerivedCommunityMaxHouseholds));
        progress.WriteLine($"  {derivation.Communities.Count:N0} derived communities ({derivation.Communities.Sum(c => c.Households):N0} households, " +
                           $"{existing.Count:N0} communities already there) ({clock.ElapsedMilliseconds} ms)");
        var areas = derivation.Communities.Select(c => new BoundaryArea(c.Name, null, c.Wgs84)).ToList();
        var streetName = $"{Path.GetFileName(path).Split('.')[0]} (derived)";
        progress.WriteLine("writing (one transaction)");
        var derived = (Streets: 0, Communities: 0);
        var counts = await new OsmStore(dataSource).ImportAsync(extract.Roads, extract.Buildings, extract.Compounds, extract.Stations, replace, ct,
            async (connection, transaction) => derived = await CommunityStore.WriteDerivedAsync(connection, transaction, streetName, areas, replace, ct));
        progress.WriteLine($"  done in {clock.ElapsedMilliseconds} ms; {derived.Communities:N0} derived communities in {derived.Streets} derived street");
        return counts;
    }
}
