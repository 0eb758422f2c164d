using GridMap.Geo;
using NetTopologySuite.Geometries;

namespace GridMap.Routing;

/// <summary>
/// The metric coordinates a graph works in: the CGCS2000 3-degree Gauss–Krüger zone of the data,
/// or, for data outside China's zones (the Andorra and Porto benchmark extracts), a local equirectangular
/// frame around <see cref="OriginLon"/>/<see cref="OriginLat"/> scaled by the WGS 84 ellipsoid's degree lengths
/// there (exact at the origin; east–west lengths drift by about tan(lat) × 0.016 % per km north or south).
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class MetricFrame
{
    /// <summary>Gauss–Krüger SRID, or 0 for the local frame.</summary>
    public int Srid { get; }

    /// <summary>Origin of the local frame, degrees (unused for a Gauss–Krüger zone).</summary>
    public double OriginLon { get; }

    /// <summary>Origin latitude of the local frame, degrees.</summary>
    public double OriginLat { get; }

    private readonly double _metersPerDegreeLon;
    private readonly double _metersPerDegreeLat;

    private MetricFrame(int srid, double lon, double lat)
    {
        Srid = srid;
        OriginLon = lon;
        OriginLat = lat;
        var phi = lat * Math.PI / 180;
        _metersPerDegreeLat = 111_132.954 - 559.822 * Math.Cos(2 * phi) + 1.175 * Math.Cos(4 * phi);
        _metersPerDegreeLon = 111_412.84 * Math.Cos(phi) - 93.5 * Math.Cos(3 * phi);
    }

    /// <summary>The frame for data whose extent centres on (<paramref name="lon"/>, <paramref name="lat"/>).</summary>
    public static MetricFrame For(double lon, double lat) => lon is >= 73.5 and < 136.5
        ? new MetricFrame(GaussKruger.ZoneSridFor(lon), lon, lat)
        : new MetricFrame(0, lon, lat);

    /// <summary>A copy of the WGS 84 <paramref name="wgs84"/> geometry in metres.</summary>
    public Geometry Project(Geometry wgs84)
    {
        if (Srid != 0)
            return GaussKruger.Project(wgs84, Srid);
        var copy = wgs84.Copy();
        copy.Apply(new LocalFilter(this, forward: true));
        copy.SRID = 0;
        return copy;
    }

    /// <summary>A copy of the metric <paramref name="projected"/> geometry in WGS 84 (SRID 4326).</summary>
    public Geometry Unproject(Geometry projected)
    {
        if (Srid != 0)
        {
            var srid = projected.SRID;
            projected.SRID = Srid;
            var result = GaussKruger.Unproject(projected);
            projected.SRID = srid;
            return result;
        }
        var copy = GeometryFactories.Wgs84.CreateGeometry(projected);
        copy.Apply(new LocalFilter(this, forward: false));
        return copy;
    }

    /// <summary>A WGS 84 position in metres.</summary>
    public Coordinate Project(double lon, double lat) =>
        Project(new Point(lon, lat) { SRID = GridMap.Geo.Srid.Wgs84 }).Coordinate;

    private sealed class LocalFilter(MetricFrame frame, bool forward) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                if (forward)
                {
                    seq.SetX(i, (seq.GetX(i) - frame.OriginLon) * frame._metersPerDegreeLon);
                    seq.SetY(i, (seq.GetY(i) - frame.OriginLat) * frame._metersPerDegreeLat);
                }
                else
                {
                    seq.SetX(i, seq.GetX(i) / frame._metersPerDegreeLon + frame.OriginLon);
                    seq.SetY(i, seq.GetY(i) / frame._metersPerDegreeLat + frame.OriginLat);
                }
            }
        }
    }
}
