using GridMap.Osm;
using GridMap.Regions;
using GridMap.Routing;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Union;

namespace GridMap.Operations.Osm;

/// <summary>A community derived from an extract: its area in WGS 84 and in the metric frame, and its units there.</summary>
public sealed record OsmDerivedCommunity(string Name, Geometry Wgs84, Geometry Metric, int Households, IReadOnlyList<SplitUnit> Units);

/// <summary>The communities derived from one extract, the metric frame they were derived in and the barriers used.</summary>
public sealed record OsmCommunityDerivation(MetricFrame Frame, IReadOnlyList<OsmDerivedCommunity> Communities, IReadOnlyList<Geometry> MetricBarriers)
{
    /// <summary>Nothing to derive (no buildings with homes outside the existing communities).</summary>
    public static readonly OsmCommunityDerivation None = new(MetricFrame.For(0, 0), [], []);
}

/// <summary>
/// Communities for the part of an OpenStreetMap extract that no community covers: the one place where the import
/// and the split benchmark turn an extract into derived communities (<see cref="CommunityDerivation"/>). Households
/// are estimated as the import stores them (footprint × levels ÷ m² per household; `building=yes` only inside a
/// residential area), so the bounds the derivation aims at are the ones the split later sees.
/// </summary>
public static class OsmCommunities
{
    private const double MarginMeters = 50;

    /// <param name="existingWgs84">Communities already in the database (or read from the extract's boundaries): not derived again.</param>
    /// <param name="squareMetersPerHousehold">Floor area per household of the household estimate (the import's figure, see README).</param>
    public static OsmCommunityDerivation Derive(OsmExtract extract, IReadOnlyList<Geometry> existingWgs84, double squareMetersPerHousehold,
        DerivationOptions options)
    {
        if (extract.Buildings.Count == 0)
            return OsmCommunityDerivation.None;
        var extent = new Envelope();
        foreach (var building in extract.Buildings)
            extent.ExpandToInclude(building.Wgs84.EnvelopeInternal);
        var frame = MetricFrame.For(extent.Centre.X, extent.Centre.Y);
        var area = frame.Project(extract.Buildings[0].Wgs84.Factory.ToGeometry(extent)).Envelope.Buffer(MarginMeters, 1);
        if (existingWgs84.Count > 0)
            area = area.Difference(UnaryUnionOp.Union(existingWgs84.Select(frame.Project).ToList()));
        area = PolygonalPart(area);
        var units = Units(extract, frame, squareMetersPerHousehold, area);
        if (area.IsEmpty || units.Count == 0)
            return OsmCommunityDerivation.None;
        var barriers = Lines(extract.Barriers, frame, area);
        var streets = extract.Roads.Where(r => r.Name is not null).Select(r => new NamedLine(r.Name!, frame.Project(r.Wgs84))).ToList();
        var finer = OsmTagRules.SubdividingHighways
            .Select(tier => Lines(extract.Roads.Where(r => !r.Bridge && tier.Contains(r.Highway)).Select(r => (Geometry)r.Wgs84), frame, area))
            .ToList<IReadOnlyList<Geometry>>();
        var derived = CommunityDerivation.Derive(area, barriers, units.Select(u => u.Derivation).ToList(), streets, options, finerBarriers: finer);
        var communities = derived.Select(c => new OsmDerivedCommunity(c.Name, Valid(frame.Unproject(c.Polygon)), c.Polygon, c.Households,
            c.Units.Select(i => units[i].Split).ToList())).ToList();
        return new OsmCommunityDerivation(frame, communities, barriers);
    }

    /// <summary>Barriers near the area as simple lines: a water area by its (repaired) boundary, a line crossing itself
    /// noded there, so that cutting blocks never meets a non-noded intersection.</summary>
    private static List<Geometry> Lines(IEnumerable<Geometry> wgs84, MetricFrame frame, Geometry area)
    {
        var lines = new List<Geometry>();
        var box = frame.Unproject(area.Envelope).EnvelopeInternal;
        foreach (var barrier in wgs84)
        {
            if (!barrier.EnvelopeInternal.Intersects(box))
                continue;
            var metric = frame.Project(barrier);
            if (metric is Polygon or MultiPolygon)
                metric = (metric.IsValid ? metric : GeometryFixer.Fix(metric)).Boundary;
            if (!metric.IsSimple)
                metric = NetTopologySuite.Operation.OverlayNG.OverlayNGRobust.Union(metric);
            if (!metric.IsEmpty)
                lines.Add(metric);
        }
        return lines;
    }

    private static Geometry PolygonalPart(Geometry geometry) =>
        geometry is Polygon or MultiPolygon ? geometry : geometry.Factory.BuildGeometry(PolygonExtracter.GetPolygons(geometry));

    private static Geometry Valid(Geometry wgs84) => wgs84.IsValid ? wgs84 : GeometryFixer.Fix(wgs84);

    /// <summary>Buildings with homes whose point lies in <paramref name="area"/>, with the compound they belong to
    /// (the smallest residential area holding their point, as the import decides).</summary>
    private static List<(DerivationUnit Derivation, SplitUnit Split)> Units(OsmExtract extract, MetricFrame frame, double squareMetersPerHousehold,
        Geometry area)
    {
        var compounds = new STRtree<(int Index, Geometry Metric, string? Name)>();
        for (var c = 0; c < extract.Compounds.Count; c++)
        {
            var metric = frame.Project(extract.Compounds[c].Wgs84);
            if (metric.IsValid)
                compounds.Insert(metric.EnvelopeInternal, (c, metric, extract.Compounds[c].Name));
        }
        var inArea = new NetTopologySuite.Algorithm.Locate.IndexedPointInAreaLocator(area);
        var units = new List<(DerivationUnit, SplitUnit)>();
        for (var i = 0; i < extract.Buildings.Count; i++)
        {
            var building = extract.Buildings[i];
            if (!building.Residential)
                continue;
            var footprint = frame.Project(building.Wgs84);
            var point = footprint.InteriorPoint;
            if (point.IsEmpty || inArea.Locate(point.Coordinate) == Location.Exterior)
                continue;
            var compound = compounds.Query(point.EnvelopeInternal).Where(c => c.Metric.Contains(point)).OrderBy(c => c.Metric.Area)
                .Select(c => ((int Index, Geometry Metric, string? Name)?)c).FirstOrDefault();
            if (building.Type == "yes" && compound is null)
                continue;
            var households = (int)Math.Max(1, Math.Round(footprint.Area * building.Levels / squareMetersPerHousehold));
            units.Add((new DerivationUnit(point.Coordinate, households, compound?.Name, compound?.Metric.Area ?? 0),
                new SplitUnit(i + 1, households, point.Coordinate, compound?.Index + 1)));
        }
        return units;
    }
}
