using NetTopologySuite.Geometries;
using static GridMap.Operations.Demo.DemoGeometry;

namespace GridMap.Operations.Demo;

/// Draws the local roads of the district (streets through superblocks, riverside roads, footbridges)
/// and cuts the blocks between roads into parcels separated by lanes: the land that compounds are built on.
internal static class DemoBlocks
{
    private const double RoadSetback = 10;
    private const double LaneGap = 8;
    private const double MinParcelArea = 2500;

    /// Adds local roads to `roads` and returns the parcels (local metres), largest blocks first.
    public static List<Polygon> DrawRoadsAndParcels(Random random, DemoDistrict district, DemoRoads roads)
    {
        roads.Add(district.Boundary.ExteriorRing, "secondary", DemoNames.BoundaryRoad, mayBridge: true);
        foreach (var (line, name, highway) in district.MajorRoads)
            roads.Add(line, highway, name, mayBridge: true);
        var deadEnds = DrawLocalStreets(random, district, roads);
        DrawRiverside(random, district, roads);

        var blocks = Faces(roads.Sources.Select(s => (Geometry)s.Line))
            .Where(b => district.Boundary.Contains(b.InteriorPoint))
            .OrderByDescending(b => b.Area)
            .ToList();
        var keepOut = Union([district.RiverLine.Buffer(DemoDistrict.BankOffset + 12), .. deadEnds.Select(d => d.Buffer(8))]);
        var parcels = new List<Polygon>();
        var lanes = new List<Geometry>();
        foreach (var block in blocks)
        {
            var usable = Difference(Inset(block, RoadSetback), keepOut);
            var target = Math.Exp(Uniform(random, Math.Log(20_000), Math.Log(90_000)));
            foreach (var piece in Polygons(usable).Where(p => p.Area >= MinParcelArea))
                Split(random, piece, target, parcels, lanes);
        }
        var parcelUnion = Union(parcels);
        foreach (var lane in lanes)
            roads.Add(Difference(lane, parcelUnion), "service", null);
        return parcels;
    }

    /// Streets across each superblock, roughly square to its long side; some bent, some ending halfway.
    private static List<LineString> DrawLocalStreets(Random random, DemoDistrict district, DemoRoads roads)
    {
        var deadEnds = new List<LineString>();
        var nameIndex = 0;
        foreach (var superblock in district.Superblocks)
        {
            var area = superblock.Area;
            var cuts = area < 70_000 ? 0 : area < 160_000 ? 1 : area < 300_000 ? 2 : 3;
            var (along, longSide, _) = MainAxis(superblock);
            var centre = superblock.Centroid.Coordinate;
            var reach = superblock.EnvelopeInternal.Diameter;
            var clip = superblock.Buffer(2);
            for (var i = 1; i <= cuts; i++)
            {
                var t = (double)i / (cuts + 1) - 0.5 + Uniform(random, -0.07, 0.07);
                var through = new Coordinate(centre.X + along.X * t * longSide, centre.Y + along.Y * t * longSide);
                var angle = Math.PI / 2 + (random.NextDouble() < 0.25 ? Uniform(random, -0.7, 0.7) : Uniform(random, -0.25, 0.25));
                var direction = new Coordinate(along.X * Math.Cos(angle) - along.Y * Math.Sin(angle), along.X * Math.Sin(angle) + along.Y * Math.Cos(angle));
                var kink = random.NextDouble() < 0.35 ? Uniform(random, -45, 45) : 0;
                var street = Line(
                    new Coordinate(through.X - direction.X * reach, through.Y - direction.Y * reach),
                    new Coordinate(through.X + along.X * kink, through.Y + along.Y * kink),
                    new Coordinate(through.X + direction.X * reach, through.Y + direction.Y * reach));
                roads.Add(Intersection(street, clip), "residential", DemoNames.LocalRoads[nameIndex++ % DemoNames.LocalRoads.Length]);
            }
            if (area > 180_000 && random.NextDouble() < 0.6)
            {
                // A lane from the edge that stops in the middle of the superblock: blocks are not all closed loops.
                var sign = random.Next(2) == 0 ? 1 : -1;
                var start = new Coordinate(centre.X + along.X * Uniform(random, -20, 20), centre.Y + along.Y * Uniform(random, -20, 20));
                var lane = Line(start, new Coordinate(start.X + sign * along.X * reach, start.Y + sign * along.Y * reach));
                foreach (var piece in Lines(Intersection(lane, clip)).Where(p => p.Length > 30))
                {
                    deadEnds.Add(piece);
                    roads.Add(piece, "service", DemoNames.LocalRoads[(nameIndex - 1) % DemoNames.LocalRoads.Length] + DemoNames.Lanes[random.Next(DemoNames.Lanes.Length)]);
                }
            }
        }
        return deadEnds;
    }

    /// Roads along both banks of the river, and footbridges across it away from the road bridges.
    private static void DrawRiverside(Random random, DemoDistrict district, DemoRoads roads)
    {
        var banks = Intersection(((Polygon)district.RiverLine.Buffer(DemoDistrict.BankOffset)).ExteriorRing, district.Boundary.Buffer(2));
        foreach (var bank in Lines(banks))
        {
            var onNorth = IsNorthOfRiver(district, bank.GetCoordinateN(bank.NumPoints / 2));
            roads.Add(bank, "tertiary", onNorth ? "北滨河路" : "南滨河路");
        }
        var river = district.RiverLine.Coordinates;
        foreach (var share in new[] { 0.13, 0.41, 0.66, 0.93 })
        {
            var x = share * DemoDistrict.Width + Uniform(random, -30, 30);
            var i = river.TakeWhile(c => c.X < x).Count() - 1;
            var (a, b) = (river[i], river[i + 1]);
            var length = a.Distance(b);
            var (nx, ny) = (-(b.Y - a.Y) / length, (b.X - a.X) / length);
            var half = DemoDistrict.BankOffset + 2;
            var bridge = Line(new Coordinate(a.X - nx * half, a.Y - ny * half), new Coordinate(a.X + nx * half, a.Y + ny * half));
            if (district.MajorRoads.All(r => r.Line.Distance(bridge) > 80) && district.Boundary.Contains(bridge))
                roads.Add(bridge, "footway", null, mayBridge: true);
        }
    }

    private static bool IsNorthOfRiver(DemoDistrict district, Coordinate c)
    {
        var vertical = Line(new Coordinate(c.X, -10_000), new Coordinate(c.X, 10_000));
        var crossing = district.RiverLine.Intersection(vertical);
        return crossing.IsEmpty || c.Y > crossing.Coordinates[0].Y;
    }

    /// Recursively halves a piece of land across its long side until parcels are near `target` m²,
    /// leaving a lane between the halves.
    private static void Split(Random random, Polygon piece, double target, List<Polygon> parcels, List<Geometry> lanes)
    {
        if (piece.Area <= target * Uniform(random, 0.75, 1.3) || piece.Area < 2.2 * MinParcelArea)
        {
            parcels.Add(piece);
            return;
        }
        var (along, longSide, _) = MainAxis(piece);
        var across = new Coordinate(-along.Y, along.X);
        var centre = piece.Centroid.Coordinate;
        var shift = Uniform(random, -0.12, 0.12) * longSide;
        var cut = new Coordinate(centre.X + along.X * shift, centre.Y + along.Y * shift);
        var reach = piece.EnvelopeInternal.Diameter + 10;
        foreach (var side in new[] { -1, 1 })
        {
            var near = new Coordinate(cut.X + side * along.X * LaneGap / 2, cut.Y + side * along.Y * LaneGap / 2);
            var far = new Coordinate(cut.X + side * along.X * reach, cut.Y + side * along.Y * reach);
            var halfPlane = Local.CreatePolygon([
                new(near.X - across.X * reach, near.Y - across.Y * reach), new(far.X - across.X * reach, far.Y - across.Y * reach),
                new(far.X + across.X * reach, far.Y + across.Y * reach), new(near.X + across.X * reach, near.Y + across.Y * reach),
                new(near.X - across.X * reach, near.Y - across.Y * reach)]);
            foreach (var half in Polygons(Intersection(piece, halfPlane)).Where(p => p.Area >= MinParcelArea))
                Split(random, half, target, parcels, lanes);
        }
        var lane = Line(new Coordinate(cut.X - across.X * reach, cut.Y - across.Y * reach), new Coordinate(cut.X + across.X * reach, cut.Y + across.Y * reach));
        lanes.Add(Intersection(lane, piece.Buffer(RoadSetback + 2)));
    }
}
