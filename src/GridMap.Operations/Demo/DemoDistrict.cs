using NetTopologySuite.Geometries;
using static GridMap.Operations.Demo.DemoGeometry;

namespace GridMap.Operations.Demo;

/// A community in local metres, with the street (index into the streets) it belongs to.
internal sealed record LocalCommunity(Polygon Area, int Street);

/// The big shapes of the district in local metres: its boundary, the major roads, the river, the
/// superblocks between them, and communities and streets made of superblocks.
internal sealed class DemoDistrict
{
    public const double Width = 2800;
    public const double Height = 2200;
    public const double RiverHalfWidth = 22;
    /// Distance from the river's centre line to the riverside roads on either bank.
    public const double BankOffset = 38;

    // Superblocks kept per street (south of the river; north-west; north-east) after merging the smallest.
    private static readonly int[] CommunitiesPerStreet = [5, 3, 3];

    public required Polygon Boundary { get; init; }
    public required List<(Geometry Line, string Name, string Highway)> MajorRoads { get; init; }
    public required LineString RiverLine { get; init; }
    public required Geometry Water { get; init; }
    /// The faces between boundary, major roads and river; local streets subdivide each of these.
    public required List<Polygon> Superblocks { get; init; }
    public required List<LocalCommunity> Communities { get; init; }

    public double RiverDistance(Coordinate c) => RiverLine.Distance(Local.CreatePoint(c));

    public static DemoDistrict Create(Random random)
    {
        var boundary = CreateBoundary(random);
        var (w, h) = (Width, Height);
        var majorRoads = new List<(Geometry Line, string Name, string Highway)>();
        double[] northSouth = [0.26 * w, 0.53 * w, 0.79 * w];
        for (var i = 0; i < northSouth.Length; i++)
        {
            var x = northSouth[i] + Uniform(random, -40, 40);
            var line = Wobbly(random, new(x, -150), new(x + Uniform(random, -70, 70), h + 150), 260, 28);
            majorRoads.Add((line, DemoNames.MajorRoads[i], i == 1 ? "primary" : "secondary"));
        }
        double[] eastWest = [0.3 * h, 0.8 * h];
        for (var i = 0; i < eastWest.Length; i++)
        {
            var y = eastWest[i] + Uniform(random, -30, 30);
            var line = Wobbly(random, new(-150, y), new(w + 150, y + Uniform(random, -60, 60)), 260, 28);
            majorRoads.Add((line, DemoNames.MajorRoads[3 + i], i == 0 ? "primary" : "secondary"));
        }
        majorRoads.Add((Wobbly(random, new(0.36 * w, -150), new(w + 150, 0.43 * h), 240, 20), DemoNames.MajorRoads[5], "secondary"));
        // An arc round the north-west corner, as a road that once ran along the old town wall.
        var radius = Uniform(random, 560, 660);
        var arc = Enumerable.Range(0, 13)
            .Select(i => (Math.PI / 2) * (i - 1) / 10)
            .Select(a => new Coordinate(radius * Math.Sin(a) + Uniform(random, -6, 6), h - radius * Math.Cos(a) + Uniform(random, -6, 6)))
            .ToArray();
        majorRoads.Add((Line(arc), DemoNames.MajorRoads[6], "secondary"));
        var middle = (LineString)majorRoads[1].Line;
        var clip = boundary.Buffer(2);
        majorRoads = majorRoads.Select(r => (Intersection(r.Line, clip), r.Name, r.Highway)).ToList();

        var phase = Uniform(random, 0, 2 * Math.PI);
        var riverPoints = new List<Coordinate>();
        for (var x = -300.0; x <= w + 300; x += 30)
            riverPoints.Add(new(x, 0.52 * h + 80 * Math.Sin(2 * Math.PI * x / 1400 + phase) + 32 * Math.Sin(2 * Math.PI * x / 520 + 1.3)));
        var riverLine = Line([.. riverPoints]);
        var water = Intersection(riverLine.Buffer(RiverHalfWidth), boundary.Buffer(60));

        var faceLines = new List<Geometry> { boundary.ExteriorRing, Intersection(riverLine, clip) };
        faceLines.AddRange(majorRoads.Select(r => r.Line));
        var superblocks = Faces(faceLines).Where(f => f.Area > 100 && boundary.Contains(f.InteriorPoint)).ToList();

        var groups = superblocks.Select(f => (Area: (Geometry)f, Street: StreetOf(f.InteriorPoint.Coordinate, riverLine, middle))).ToList();
        for (var street = 0; street < CommunitiesPerStreet.Length; street++)
        {
            while (true)
            {
                var mine = groups.Where(g => g.Street == street).ToList();
                if (mine.Count <= CommunitiesPerStreet[street])
                    break;
                var smallest = mine.MinBy(g => g.Area.Area);
                var neighbour = mine.Where(g => g.Area != smallest.Area)
                    .Select(g => (Group: g, Shared: g.Area.Boundary.Intersection(smallest.Area.Boundary).Length))
                    .Where(n => n.Shared > 1)
                    .OrderByDescending(n => n.Shared)
                    .FirstOrDefault();
                if (neighbour.Group.Area is null)
                    break;
                groups.Remove(smallest);
                groups.Remove(neighbour.Group);
                groups.Add((Union([smallest.Area, neighbour.Group.Area]), street));
            }
        }
        // Number communities west to east within each street, north first, as a city would list them.
        var communities = groups
            .Select(g => new LocalCommunity((Polygon)Polygons(g.Area).MaxBy(p => p.Area)!, g.Street))
            .OrderBy(c => c.Street)
            .ThenBy(c => Math.Round(-c.Area.InteriorPoint.Y / 400))
            .ThenBy(c => c.Area.InteriorPoint.X)
            .ToList();
        return new DemoDistrict
        {
            Boundary = boundary,
            MajorRoads = majorRoads,
            RiverLine = riverLine,
            Water = water,
            Superblocks = superblocks,
            Communities = communities,
        };
    }

    /// 0 south of the river, 1 north-west, 2 north-east (east of the middle north–south road).
    private static int StreetOf(Coordinate c, LineString river, LineString middle)
    {
        if (c.Y < YAt(river, c.X))
            return 0;
        return c.X < XAt(middle, c.Y) ? 1 : 2;
    }

    private static double YAt(LineString line, double x) => Cross(line, Line(new(x, -10_000), new(x, 10_000))).Y;

    private static double XAt(LineString line, double y) => Cross(line, Line(new(-10_000, y), new(10_000, y))).X;

    private static Coordinate Cross(LineString a, LineString b)
    {
        var crossing = a.Intersection(b);
        return crossing.IsEmpty ? a.Coordinates[0] : crossing.Coordinates[0];
    }

    private static Polygon CreateBoundary(Random random)
    {
        var (w, h) = (Width, Height);
        Coordinate[] corners = [new(0, 0), new(w, 0), new(w, h - 260), new(w - 320, h), new(0, h)];
        var ring = new List<Coordinate>();
        for (var i = 0; i < corners.Length; i++)
        {
            var side = Wobbly(random, corners[i], corners[(i + 1) % corners.Length], 330, 30).Coordinates;
            ring.AddRange(side.Take(side.Length - 1));
        }
        ring.Add(ring[0].Copy());
        return Local.CreatePolygon([.. ring]);
    }
}
