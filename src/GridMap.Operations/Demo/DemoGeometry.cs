using GridMap.Geo;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Buffer;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Operation.Polygonize;
using NetTopologySuite.Precision;

namespace GridMap.Operations.Demo;

/// Plane geometry of the generator in local metres (x east, y north), snapped to a millimetre grid so
/// that noding and overlays are robust and repeatable; and the way out to WGS 84 on the 7-decimal grid.
internal static class DemoGeometry
{
    public static readonly PrecisionModel Millimetres = new(1000);
    public static readonly PrecisionModel OutputPrecision = new(1e7);
    public static readonly GeometryFactory Local = new(new PrecisionModel(), 0);

    private static readonly BufferParameters Mitre = new() { JoinStyle = JoinStyle.Mitre, MitreLimit = 4 };

    // The district lies east of Chaohu lake (Hefei), in CGCS2000 3-degree Gauss-Krüger zone 39 (117°E).
    private const double OriginLon = 117.845;
    private const double OriginLat = 31.598;
    private static readonly int ZoneSrid = GaussKruger.ZoneSridFor(OriginLon);
    private static readonly Coordinate Origin =
        GaussKruger.Project(GeometryFactories.Wgs84.CreatePoint(new Coordinate(OriginLon, OriginLat)), ZoneSrid).Coordinate;

    public static LineString Line(params Coordinate[] points) => Local.CreateLineString(points);

    public static Polygon Box(double minX, double minY, double maxX, double maxY) =>
        Local.CreatePolygon([new(minX, minY), new(maxX, minY), new(maxX, maxY), new(minX, maxY), new(minX, minY)]);

    /// A hand-drawn looking line from a to b: vertices every `step` metres, pushed sideways by a smoothed random walk.
    public static LineString Wobbly(Random random, Coordinate a, Coordinate b, double step, double jitter)
    {
        var length = a.Distance(b);
        var n = Math.Max(1, (int)Math.Round(length / step));
        var (nx, ny) = (-(b.Y - a.Y) / length, (b.X - a.X) / length);
        var points = new Coordinate[n + 1];
        var offset = 0.0;
        for (var i = 0; i <= n; i++)
        {
            var t = (double)i / n;
            offset = i == 0 || i == n ? 0 : 0.6 * offset + Uniform(random, -jitter, jitter);
            points[i] = new Coordinate(a.X + (b.X - a.X) * t + nx * offset, a.Y + (b.Y - a.Y) * t + ny * offset);
        }
        return Line(points);
    }

    public static double Uniform(Random random, double min, double max) => min + random.NextDouble() * (max - min);

    public static Geometry Inset(Geometry polygon, double metres) => BufferOp.Buffer(polygon, -metres, Mitre);

    public static Geometry Intersection(Geometry a, Geometry b) => OverlayNG.Overlay(a, b, SpatialFunction.Intersection, Millimetres);

    public static Geometry Difference(Geometry a, Geometry b) => OverlayNG.Overlay(a, b, SpatialFunction.Difference, Millimetres);

    public static Geometry Union(IEnumerable<Geometry> geometries) =>
        UnaryUnionNG.Union(Local.BuildGeometry(geometries.ToList()), Millimetres);

    /// The faces that the lines cut the plane into (the lines are noded first; dangling ends are ignored).
    public static List<Polygon> Faces(IEnumerable<Geometry> lines)
    {
        var polygonizer = new Polygonizer();
        polygonizer.Add(Union(lines));
        return polygonizer.GetPolygons().Cast<Polygon>().ToList();
    }

    public static IEnumerable<Polygon> Polygons(Geometry geometry)
    {
        for (var i = 0; i < geometry.NumGeometries; i++)
        {
            if (geometry.GetGeometryN(i) is Polygon { IsEmpty: false } polygon)
                yield return polygon;
        }
    }

    public static IEnumerable<LineString> Lines(Geometry geometry)
    {
        for (var i = 0; i < geometry.NumGeometries; i++)
        {
            var part = geometry.GetGeometryN(i);
            if (part is LineString { IsEmpty: false } line)
                yield return line;
            else if (part is Polygon polygon)
            {
                yield return polygon.ExteriorRing;
                foreach (var hole in polygon.InteriorRings)
                    yield return hole;
            }
        }
    }

    /// Unit vector of the long side of the minimum rectangle around `geometry`, and the lengths of both sides.
    public static (Coordinate Along, double Long, double Short) MainAxis(Geometry geometry)
    {
        var rectangle = MinimumDiameter.GetMinimumRectangle(geometry).Coordinates;
        if (rectangle.Length < 4)
            return (new Coordinate(1, 0), geometry.EnvelopeInternal.Width, geometry.EnvelopeInternal.Height);
        var (a, b, c) = (rectangle[0], rectangle[1], rectangle[2]);
        var (first, second) = (a.Distance(b), b.Distance(c));
        var along = first >= second
            ? new Coordinate((b.X - a.X) / first, (b.Y - a.Y) / first)
            : new Coordinate((c.X - b.X) / second, (c.Y - b.Y) / second);
        if (along.X < 0 || (along.X == 0 && along.Y < 0))
            along = new Coordinate(-along.X, -along.Y);
        return (along, Math.Max(first, second), Math.Min(first, second));
    }

    public static Geometry Rotate(Geometry geometry, double radians, Coordinate about) =>
        AffineTransformation.RotationInstance(radians, about.X, about.Y).Transform(geometry);

    /// The segment a-b made longer by `metres` at both ends, so that noding sees it cross what it should touch.
    public static LineString Extended(Coordinate a, Coordinate b, double metres)
    {
        var length = a.Distance(b);
        if (length == 0)
            return Line(a, b);
        var (ux, uy) = ((b.X - a.X) / length, (b.Y - a.Y) / length);
        return Line(new Coordinate(a.X - ux * metres, a.Y - uy * metres), new Coordinate(b.X + ux * metres, b.Y + uy * metres));
    }

    /// Local metres to WGS 84 longitude/latitude (through the Gauss–Krüger zone), snapped to the output grid.
    public static Geometry ToWgs84(Geometry local)
    {
        var wgs84 = ToWgs84Unrounded(local);
        return wgs84 is Point or LineString
            ? RoundCoordinates(wgs84)
            : GeometryPrecisionReducer.Reduce(wgs84, OutputPrecision);
    }

    public static Geometry ToWgs84Unrounded(Geometry local)
    {
        var projected = new GeometryFactory(new PrecisionModel(), ZoneSrid).CreateGeometry(local);
        projected.Apply(new Shift(Origin.X, Origin.Y));
        return GaussKruger.Unproject(projected);
    }

    public static Coordinate ToWgs84(Coordinate local) => ToWgs84(Local.CreatePoint(local)).Coordinate;

    private static Geometry RoundCoordinates(Geometry geometry)
    {
        var copy = geometry.Copy();
        copy.Apply(new Round());
        if (copy is not LineString line)
            return copy;
        var points = CoordinateArrays.RemoveRepeatedPoints(line.Coordinates);
        return points.Length >= 2 ? copy.Factory.CreateLineString(points) : copy.Factory.CreateLineString();
    }

    private sealed class Shift(double dx, double dy) : ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            seq.SetX(i, seq.GetX(i) + dx);
            seq.SetY(i, seq.GetY(i) + dy);
        }
    }

    private sealed class Round : ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            seq.SetX(i, Math.Round(seq.GetX(i), DemoCity.Decimals));
            seq.SetY(i, Math.Round(seq.GetY(i), DemoCity.Decimals));
        }
    }
}
