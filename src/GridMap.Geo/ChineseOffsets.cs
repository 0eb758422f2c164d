namespace GridMap.Geo;

/// <summary>
/// Converts longitude/latitude between WGS 84, GCJ-02 (the obfuscated "Mars" coordinates required of
/// map providers in China: AMap, Tencent) and BD-09 (Baidu, a further offset on top of GCJ-02).
/// All values are decimal degrees, longitude first.
/// </summary>
/// <remarks>
/// <para>The GCJ-02 forward transform is the publicly known formula on the Krasovsky 1940 ellipsoid
/// (a = 6378245 m, e² = 0.00669342162296594323). Outside the usual rough bounding box of China
/// (longitude 72.004–137.8347, latitude 0.8293–55.8271) it is the identity; the box is a rectangle,
/// so it also covers parts of neighbouring countries (Singapore, Korea, Mongolia), as every GCJ-02
/// implementation does. BD-09 is applied everywhere, inside the box or not.</para>
/// <para>The inverses have no closed form. They refine the forward transform by fixed-point
/// iteration until a step is below 1e-9° (about 0.1 mm) or 30 steps have run, so a round trip is
/// exact to well under a centimetre inside China.</para>
/// <para>Stateless and thread-safe.</para>
/// </remarks>
public static class ChineseOffsets
{
    private const double KrasovskyA = 6378245.0;
    private const double KrasovskyEe = 0.00669342162296594323;
    private const double BaiduXPi = Math.PI * 3000.0 / 180.0;
    private const double ToleranceDegrees = 1e-9;
    private const int MaxIterations = 30;

    /// <summary>True inside the rough bounding box of China where GCJ-02 shifts coordinates.</summary>
    public static bool IsInChina(double lon, double lat) =>
        lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;

    /// <summary>WGS 84 to GCJ-02; the identity outside <see cref="IsInChina"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Longitude or latitude is not a finite value in range.</exception>
    public static (double Lon, double Lat) Gcj02FromWgs84(double lon, double lat)
    {
        CheckRange(lon, lat);
        return GcjShift(lon, lat);
    }

    /// <summary>GCJ-02 to WGS 84 by iterating <see cref="Gcj02FromWgs84"/>; the identity outside China.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Longitude or latitude is not a finite value in range.</exception>
    public static (double Lon, double Lat) Wgs84FromGcj02(double lon, double lat)
    {
        CheckRange(lon, lat);
        // The box is tested on the answer, not the input: a WGS 84 point just inside the box can be shifted
        // just outside it. Iterating the unboxed formula also avoids stalling on the box's edge.
        var wgs = Invert(GcjShiftInChina, lon, lat, lon, lat);
        return IsInChina(wgs.Lon, wgs.Lat) ? wgs : (lon, lat);
    }

    /// <summary>GCJ-02 to BD-09.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Longitude or latitude is not a finite value in range.</exception>
    public static (double Lon, double Lat) Bd09FromGcj02(double lon, double lat)
    {
        CheckRange(lon, lat);
        return BaiduShift(lon, lat);
    }

    /// <summary>BD-09 to GCJ-02: the usual closed-form approximation, refined by iterating <see cref="Bd09FromGcj02"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Longitude or latitude is not a finite value in range.</exception>
    public static (double Lon, double Lat) Gcj02FromBd09(double lon, double lat)
    {
        CheckRange(lon, lat);
        var x = lon - 0.0065;
        var y = lat - 0.006;
        var z = Math.Sqrt(x * x + y * y) - 0.00002 * Math.Sin(y * BaiduXPi);
        var theta = Math.Atan2(y, x) - 0.000003 * Math.Cos(x * BaiduXPi);
        return Invert(BaiduShift, lon, lat, z * Math.Cos(theta), z * Math.Sin(theta));
    }

    /// <summary>WGS 84 to BD-09 (through GCJ-02).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Longitude or latitude is not a finite value in range.</exception>
    public static (double Lon, double Lat) Bd09FromWgs84(double lon, double lat)
    {
        var (gcjLon, gcjLat) = Gcj02FromWgs84(lon, lat);
        return Bd09FromGcj02(gcjLon, gcjLat);
    }

    /// <summary>BD-09 to WGS 84 (through GCJ-02), both steps iterative.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Longitude or latitude is not a finite value in range.</exception>
    public static (double Lon, double Lat) Wgs84FromBd09(double lon, double lat)
    {
        var (gcjLon, gcjLat) = Gcj02FromBd09(lon, lat);
        return Wgs84FromGcj02(gcjLon, gcjLat);
    }

    private static (double Lon, double Lat) GcjShift(double lon, double lat) =>
        IsInChina(lon, lat) ? GcjShiftInChina(lon, lat) : (lon, lat);

    private static (double Lon, double Lat) GcjShiftInChina(double lon, double lat)
    {
        var x = lon - 105.0;
        var y = lat - 35.0;
        var radLat = lat * Math.PI / 180.0;
        var sinLat = Math.Sin(radLat);
        var w2 = 1 - KrasovskyEe * sinLat * sinLat;
        var w = Math.Sqrt(w2);
        // The shifts come out in metres; divide by the meridian (a(1-e²)/W³) and parallel (a cosφ/W) radii to get degrees.
        var dLat = LatitudeShiftMeters(x, y) * 180.0 / (KrasovskyA * (1 - KrasovskyEe) / (w2 * w) * Math.PI);
        var dLon = LongitudeShiftMeters(x, y) * 180.0 / (KrasovskyA / w * Math.Cos(radLat) * Math.PI);
        return (lon + dLon, lat + dLat);
    }

    private static double LatitudeShiftMeters(double x, double y)
    {
        var shift = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.Sqrt(Math.Abs(x));
        shift += (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
        shift += (20.0 * Math.Sin(y * Math.PI) + 40.0 * Math.Sin(y / 3.0 * Math.PI)) * 2.0 / 3.0;
        shift += (160.0 * Math.Sin(y / 12.0 * Math.PI) + 320.0 * Math.Sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
        return shift;
    }

    private static double LongitudeShiftMeters(double x, double y)
    {
        var shift = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.Sqrt(Math.Abs(x));
        shift += (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
        shift += (20.0 * Math.Sin(x * Math.PI) + 40.0 * Math.Sin(x / 3.0 * Math.PI)) * 2.0 / 3.0;
        shift += (150.0 * Math.Sin(x / 12.0 * Math.PI) + 300.0 * Math.Sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
        return shift;
    }

    private static (double Lon, double Lat) BaiduShift(double lon, double lat)
    {
        var z = Math.Sqrt(lon * lon + lat * lat) + 0.00002 * Math.Sin(lat * BaiduXPi);
        var theta = Math.Atan2(lat, lon) + 0.000003 * Math.Cos(lon * BaiduXPi);
        return (z * Math.Cos(theta) + 0.0065, z * Math.Sin(theta) + 0.006);
    }

    // Solves forward(p) = target for p. The offsets vary by a few thousandths of a degree per degree, so
    // p -> p + (target - forward(p)) is a strong contraction: each step gains two to three digits.
    private static (double Lon, double Lat) Invert(
        Func<double, double, (double Lon, double Lat)> forward, double targetLon, double targetLat, double lon, double lat)
    {
        for (var i = 0; i < MaxIterations; i++)
        {
            var (forwardLon, forwardLat) = forward(lon, lat);
            var stepLon = targetLon - forwardLon;
            var stepLat = targetLat - forwardLat;
            lon += stepLon;
            lat += stepLat;
            if (Math.Abs(stepLon) < ToleranceDegrees && Math.Abs(stepLat) < ToleranceDegrees)
                break;
        }
        return (lon, lat);
    }

    private static void CheckRange(double lon, double lat)
    {
        if (!(lon >= -180 && lon <= 180))
            throw new ArgumentOutOfRangeException(nameof(lon), lon, "Longitude must be between -180 and 180 degrees.");
        if (!(lat >= -90 && lat <= 90))
            throw new ArgumentOutOfRangeException(nameof(lat), lat, "Latitude must be between -90 and 90 degrees.");
    }
}
