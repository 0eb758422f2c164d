namespace GridMap.Data.Tiles;

/// A tile of the Web Mercator XYZ scheme (y = 0 at the top).
public readonly record struct TileId(int Z, int X, int Y)
{
    public override string ToString() => $"{Z}/{X}/{Y}";
}

/// An inclusive block of tiles at one zoom.
public readonly record struct TileRange(int Z, int MinX, int MinY, int MaxX, int MaxY)
{
    public long Count => (long)(MaxX - MinX + 1) * (MaxY - MinY + 1);

    public IEnumerable<TileId> Tiles()
    {
        for (var x = MinX; x <= MaxX; x++)
            for (var y = MinY; y <= MaxY; y++)
                yield return new TileId(Z, x, y);
    }
}

public static class TileMath
{
    public const double MaxLatitude = 85.0511287798066;

    /// The tiles at zoom z that a WGS 84 box touches, widened by <paramref name="bufferFraction"/> of a
    /// tile on each side (tiles are drawn with a buffer, so a feature just outside a tile still shows in it).
    public static TileRange Range(int z, double minLon, double minLat, double maxLon, double maxLat, double bufferFraction)
    {
        var n = 1 << z;
        var minX = Clamp((int)Math.Floor(LonToX(minLon, n) - bufferFraction), n);
        var maxX = Clamp((int)Math.Floor(LonToX(maxLon, n) + bufferFraction), n);
        var minY = Clamp((int)Math.Floor(LatToY(maxLat, n) - bufferFraction), n);
        var maxY = Clamp((int)Math.Floor(LatToY(minLat, n) + bufferFraction), n);
        return new TileRange(z, minX, minY, maxX, maxY);
    }

    /// West, south, east, north of a tile in degrees.
    public static (double West, double South, double East, double North) Bounds(TileId tile)
    {
        var n = 1 << tile.Z;
        return (tile.X * 360.0 / n - 180, YToLat(tile.Y + 1, n), (tile.X + 1) * 360.0 / n - 180, YToLat(tile.Y, n));
    }

    private static double LonToX(double lon, int n) => (lon + 180) / 360 * n;

    private static double LatToY(double lat, int n)
    {
        var radians = Math.Clamp(lat, -MaxLatitude, MaxLatitude) * Math.PI / 180;
        return (1 - Math.Log(Math.Tan(radians) + 1 / Math.Cos(radians)) / Math.PI) / 2 * n;
    }

    private static double YToLat(double y, int n) => Math.Atan(Math.Sinh(Math.PI * (1 - 2 * y / n))) * 180 / Math.PI;

    private static int Clamp(int value, int n) => Math.Clamp(value, 0, n - 1);
}
