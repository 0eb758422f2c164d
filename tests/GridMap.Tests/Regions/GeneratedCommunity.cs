using GridMap.Regions;
using NetTopologySuite.Geometries;

namespace GridMap.Tests.Regions;

/// Random communities in a metric plane for property tests: shapes, barrier lines, compounds of
/// several buildings, now and then an awkward compound larger than a grid.
public sealed record GeneratedCommunity(Geometry Community, List<SplitUnit> Units, List<Geometry> Barriers)
{
    public static readonly GeometryFactory Factory = new();

    public static GeneratedCommunity Create(int seed)
    {
        var random = new Random(seed);
        var width = random.Next(300, 1200);
        var height = random.Next(300, 1200);
        Geometry community = (seed % 4) switch
        {
            0 => Rectangle(0, 0, width, height),
            // An L: a rectangle missing its north-east quarter.
            1 => Rectangle(0, 0, width, height).Difference(Rectangle(width / 2.0, height / 2.0, width, height)),
            // A ring-ish shape: a courtyard (park) in the middle that holds no units.
            2 => Rectangle(0, 0, width, height).Difference(Rectangle(width * 0.4, height * 0.4, width * 0.6, height * 0.6)),
            _ => Star(random, width / 2.0, height / 2.0, Math.Min(width, height) / 2.0),
        };
        var barriers = new List<Geometry>();
        var barrierCount = random.Next(0, 3);
        for (var b = 0; b < barrierCount; b++)
        {
            barriers.Add(random.Next(2) == 0
                ? Line(random.Next(width / 5, width * 4 / 5), -10, random.Next(width / 5, width * 4 / 5), height + 10)
                : Line(-10, random.Next(height / 5, height * 4 / 5), width + 10, random.Next(height / 5, height * 4 / 5)));
        }
        var units = new List<SplitUnit>();
        var compounds = random.Next(3, 25);
        var envelope = community.EnvelopeInternal;
        long id = 1;
        for (var c = 0; c < compounds; c++)
        {
            var centre = RandomPointIn(random, community, envelope);
            var buildings = random.Next(1, 9);
            var awkward = random.Next(12) == 0;
            for (var i = 0; i < buildings; i++)
            {
                var near = new Coordinate(centre.X + random.Next(-40, 41), centre.Y + random.Next(-40, 41));
                var point = community.Contains(Factory.CreatePoint(near)) ? near : RandomPointIn(random, community, envelope);
                var households = awkward ? random.Next(80, 140) : random.Next(10, 90);
                units.Add(new SplitUnit(id++, households, point, random.Next(6) == 0 ? null : c + 100));
            }
        }
        return new GeneratedCommunity(community, units, barriers);
    }

    public static Polygon Rectangle(double x0, double y0, double x1, double y1) =>
        Factory.CreatePolygon([new(x0, y0), new(x1, y0), new(x1, y1), new(x0, y1), new(x0, y0)]);

    public static LineString Line(double x0, double y0, double x1, double y1) => Factory.CreateLineString([new(x0, y0), new(x1, y1)]);

    private static Polygon Star(Random random, double cx, double cy, double radius)
    {
        var points = new List<Coordinate>();
        for (var i = 0; i < 10; i++)
        {
            var r = radius * (i % 2 == 0 ? 1 : 0.55 + random.NextDouble() * 0.3);
            var angle = i * Math.PI / 5;
            points.Add(new Coordinate(cx + r * Math.Cos(angle), cy + r * Math.Sin(angle)));
        }
        points.Add(points[0].Copy());
        return Factory.CreatePolygon(points.ToArray());
    }

    private static Coordinate RandomPointIn(Random random, Geometry area, Envelope envelope)
    {
        while (true)
        {
            var c = new Coordinate(envelope.MinX + random.NextDouble() * envelope.Width, envelope.MinY + random.NextDouble() * envelope.Height);
            if (area.Contains(Factory.CreatePoint(c)))
                return c;
        }
    }
}
