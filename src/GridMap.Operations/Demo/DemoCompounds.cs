using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Distance;
using static GridMap.Operations.Demo.DemoGeometry;

namespace GridMap.Operations.Demo;

internal sealed record LocalBuilding(Polygon Footprint, int Levels, int Households, bool Estimated);

internal sealed record LocalCompound(Polygon Area, string Kind, List<LocalBuilding> Buildings, List<Coordinate> Gates);

/// Builds compounds on parcels: rows of buildings of one style per compound (old six-storey walk-ups,
/// high-rise slabs or towers, resettlement blocks, low-rise), footpaths around and between the rows,
/// and gates joining the paths to the nearest street.
internal static class DemoCompounds
{
    private sealed record Style(int MinLevels, int MaxLevels, double MinLength, double MaxLength, double Depth,
        double RowGap, double EndGap, int FlatsPerFloor, bool Tower);

    private static readonly Style OldWalkUp = new(5, 7, 36, 60, 11, 15, 8, 2, false);
    private static readonly Style Slab = new(11, 18, 30, 48, 14, 30, 14, 2, false);
    private static readonly Style Tower = new(24, 33, 22, 25, 22, 32, 22, 4, true);
    private static readonly Style Resettlement = new(11, 18, 45, 66, 12.5, 26, 12, 2, false);
    private static readonly Style LowRise = new(3, 4, 14, 18, 12, 10, 8, 1, false);

    // One stairwell ("unit", 单元) is about 15 m of a slab, with FlatsPerFloor flats on each floor.
    private const double UnitWidth = 15;
    private const double BuildingSetback = 7;
    private const double NonResidentialShare = 0.12;

    public static List<LocalCompound> Build(Random random, List<Polygon> parcels, DemoRoads roads)
    {
        var compounds = new List<LocalCompound>();
        foreach (var parcel in parcels)
        {
            if (random.NextDouble() < NonResidentialShare)
                continue;
            var kind = ChooseKind(random, parcel.Area);
            var style = kind switch
            {
                "old_compound" => OldWalkUp,
                "resettlement" => Resettlement,
                "low_rise" => LowRise,
                _ => random.NextDouble() < 0.35 ? Tower : Slab,
            };
            var estimated = random.NextDouble() < 0.25;
            var (buildings, paths) = PlaceBuildings(random, parcel, style, estimated);
            if (buildings.Count == 0)
                continue;
            compounds.Add(new LocalCompound(parcel, kind, buildings, []));
            foreach (var path in paths)
                roads.Add(path, "footway", null);
        }
        AddGates(compounds, roads);
        return compounds;
    }

    private static string ChooseKind(Random random, double area)
    {
        var r = random.NextDouble();
        if (area < 8_000)
            return r < 0.35 ? "low_rise" : "old_compound";
        if (area < 25_000)
            return r < 0.5 ? "old_compound" : r < 0.8 ? "commodity_housing" : r < 0.9 ? "resettlement" : "low_rise";
        return r < 0.4 ? "commodity_housing" : r < 0.6 ? "resettlement" : "old_compound";
    }

    /// Rows of buildings facing (nearly) south, or along the compound where it is laid out at an angle.
    private static (List<LocalBuilding>, List<Geometry>) PlaceBuildings(Random random, Polygon compound, Style style, bool estimated)
    {
        var (along, _, _) = MainAxis(compound);
        var axis = Math.Atan2(along.Y, along.X);
        var angle = Math.Abs(axis) < 0.5 ? axis : Uniform(random, -0.12, 0.12);
        var centre = compound.Centroid.Coordinate;
        var upright = Rotate(compound, -angle, centre);
        var buildable = PreparedGeometryFactory.Prepare(Inset(upright, BuildingSetback));
        var envelope = buildable.Geometry.EnvelopeInternal;
        var levels = random.Next(style.MinLevels, style.MaxLevels + 1);
        var length = Uniform(random, style.MinLength, style.MaxLength);
        var rowGap = style.RowGap * Uniform(random, 0.9, 1.15);
        var footprints = new List<(Polygon Footprint, int Levels)>();
        var rowEdges = new List<(double Bottom, double Top)>();
        for (var y = envelope.MinY; y + style.Depth <= envelope.MaxY;)
        {
            var placed = 0;
            for (var x = envelope.MinX + Uniform(random, 0, style.EndGap); ;)
            {
                var width = style.Tower ? length : length * Uniform(random, 0.9, 1.1);
                if (x + width > envelope.MaxX)
                    break;
                var footprint = Box(x, y, x + width, y + style.Depth);
                if (buildable.Contains(footprint))
                {
                    var storeys = Math.Clamp(levels + (random.NextDouble() < 0.2 ? random.Next(-1, 2) : 0), style.MinLevels, style.MaxLevels);
                    footprints.Add((footprint, storeys));
                    placed++;
                    x += width + style.EndGap;
                }
                else
                {
                    x += 4;
                }
            }
            if (placed > 0)
            {
                rowEdges.Add((y, y + style.Depth));
                y += style.Depth + rowGap;
            }
            else
            {
                y += 4;
            }
        }

        var buildings = footprints.Select(f =>
        {
            var polygon = (Polygon)Rotate(f.Footprint, angle, centre);
            var isEstimated = estimated || random.NextDouble() < 0.04;
            var households = isEstimated
                ? Math.Max(1, (int)Math.Round(polygon.Area * f.Levels / 100))
                : style.Tower
                    ? style.FlatsPerFloor * f.Levels
                    : Math.Max(1, (int)Math.Round(f.Footprint.EnvelopeInternal.Width / UnitWidth)) * style.FlatsPerFloor * f.Levels;
            return new LocalBuilding(polygon, f.Levels, Math.Max(1, households), isEstimated);
        }).ToList();

        var paths = new List<Geometry>();
        if (buildings.Count > 0)
        {
            var ring = Polygons(Inset(compound, 3)).MaxBy(p => p.Area);
            if (ring is not null)
                paths.Add(ring.ExteriorRing);
            var inner = Inset(upright, 2);
            for (var i = 0; i + 1 < rowEdges.Count; i++)
            {
                var y = (rowEdges[i].Top + rowEdges[i + 1].Bottom) / 2;
                var between = Intersection(Line(new(envelope.MinX - 50, y), new(envelope.MaxX + 50, y)), inner);
                paths.Add(Rotate(between, angle, centre));
            }
        }
        return (buildings, paths);
    }

    /// Gates: where the path around a compound comes nearest a street (and a second one on another
    /// street for larger compounds), joined to it by a short footpath.
    private static void AddGates(List<LocalCompound> compounds, DemoRoads roads)
    {
        var streets = new STRtree<LineString>();
        foreach (var line in roads.Drawn(s => s.Highway != "footway"))
            streets.Insert(line.EnvelopeInternal, line);
        foreach (var compound in compounds)
        {
            var ring = Polygons(Inset(compound.Area, 3)).MaxBy(p => p.Area)?.ExteriorRing;
            if (ring is null)
                continue;
            var search = ring.EnvelopeInternal.Copy();
            search.ExpandBy(60);
            var options = streets.Query(search)
                .Select(line => DistanceOp.NearestPoints(ring, line))
                .Select(p => (Inside: p[0], Street: p[1], Distance: p[0].Distance(p[1])))
                .Where(o => o.Distance > 0.1)
                .OrderBy(o => o.Distance)
                .ThenBy(o => o.Street.X)
                .ToList();
            if (options.Count == 0)
                continue;
            var chosen = new List<(Coordinate Inside, Coordinate Street, double Distance)> { options[0] };
            if (compound.Area.Area > 15_000)
            {
                var second = options.FirstOrDefault(o => o.Street.Distance(options[0].Street) > 60 && o.Distance < 40);
                if (second.Inside is not null)
                    chosen.Add(second);
            }
            foreach (var gate in chosen)
            {
                compound.Gates.Add(gate.Inside);
                roads.Add(Extended(gate.Inside, gate.Street, 1.5), "footway", null);
            }
        }
    }
}
