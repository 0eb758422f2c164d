using NetTopologySuite.Geometries;

namespace GridMap.Geo;

/// <summary>
/// Converts whole geometries between WGS 84 and the other <see cref="CoordinateSystem"/>s, vertex by vertex
/// with <see cref="ChineseOffsets"/>. Edges stay straight lines between converted vertices; the offsets
/// vary smoothly (a few metres per kilometre), so along an edge up to a kilometre long the result is off
/// by centimetres at most.
/// CGCS2000 is treated as identical to WGS 84: the two agree to a few centimetres, below the accuracy of
/// the data GridMap handles. Stateless and thread-safe.
/// </summary>
public static class CoordinateConversion
{
    /// <summary>
    /// Returns a copy of <paramref name="geometry"/> converted from <paramref name="from"/> to WGS 84, with SRID 4326.
    /// The SRID of the input is ignored: <paramref name="from"/> says what its coordinates are.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="geometry"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="from"/> is not a defined system.</exception>
    /// <exception cref="ArgumentException">A coordinate is not a longitude/latitude in range.</exception>
    public static Geometry ToWgs84(Geometry geometry, CoordinateSystem from)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        return from switch
        {
            CoordinateSystem.Wgs84 or CoordinateSystem.Cgcs2000 => Convert(geometry, static (lon, lat) => (lon, lat)),
            CoordinateSystem.Gcj02 => Convert(geometry, ChineseOffsets.Wgs84FromGcj02),
            CoordinateSystem.Bd09 => Convert(geometry, ChineseOffsets.Wgs84FromBd09),
            _ => throw new ArgumentOutOfRangeException(nameof(from), from, "Unknown coordinate system."),
        };
    }

    /// <summary>
    /// Returns a copy of the WGS 84 <paramref name="geometry"/> converted to <paramref name="to"/>. The copy keeps
    /// SRID 4326 because GCJ-02 and BD-09 have no EPSG code; the caller knows what it asked for.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="geometry"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="to"/> is not a defined system.</exception>
    /// <exception cref="ArgumentException">A coordinate is not a longitude/latitude in range.</exception>
    public static Geometry FromWgs84(Geometry geometry, CoordinateSystem to)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        return to switch
        {
            CoordinateSystem.Wgs84 or CoordinateSystem.Cgcs2000 => Convert(geometry, static (lon, lat) => (lon, lat)),
            CoordinateSystem.Gcj02 => Convert(geometry, ChineseOffsets.Gcj02FromWgs84),
            CoordinateSystem.Bd09 => Convert(geometry, ChineseOffsets.Bd09FromWgs84),
            _ => throw new ArgumentOutOfRangeException(nameof(to), to, "Unknown coordinate system."),
        };
    }

    /// <summary>Parses "wgs84", "cgcs2000", "gcj02" or "bd09", ignoring case.</summary>
    /// <returns>False for null or any other text; <paramref name="system"/> is then <see cref="CoordinateSystem.Wgs84"/>.</returns>
    public static bool TryParse(string? text, out CoordinateSystem system)
    {
        system = CoordinateSystem.Wgs84;
        switch (text?.ToLowerInvariant())
        {
            case "wgs84":
                return true;
            case "cgcs2000":
                system = CoordinateSystem.Cgcs2000;
                return true;
            case "gcj02":
                system = CoordinateSystem.Gcj02;
                return true;
            case "bd09":
                system = CoordinateSystem.Bd09;
                return true;
            default:
                return false;
        }
    }

    private static Geometry Convert(Geometry geometry, Func<double, double, (double Lon, double Lat)> convert)
    {
        var copy = GeometryFactories.Wgs84.CreateGeometry(geometry);
        copy.Apply(new ConversionFilter(convert));
        return copy;
    }

    private sealed class ConversionFilter(Func<double, double, (double Lon, double Lat)> convert) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                var lon = seq.GetX(i);
                var lat = seq.GetY(i);
                if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90))
                    throw new ArgumentException($"({lon}, {lat}) is not a longitude/latitude in degrees.", "geometry");
                (lon, lat) = convert(lon, lat);
                seq.SetX(i, lon);
                seq.SetY(i, lat);
            }
        }
    }
}
