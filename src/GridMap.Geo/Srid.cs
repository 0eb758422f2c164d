namespace GridMap.Geo;

/// <summary>Spatial reference ids GridMap stores, accepts and returns.</summary>
public static class Srid
{
    /// <summary>WGS 84 longitude/latitude: every geometry is stored in it.</summary>
    public const int Wgs84 = 4326;

    /// <summary>CGCS2000 geographic (China Geodetic Coordinate System 2000); within centimetres of WGS 84.</summary>
    public const int Cgcs2000 = 4490;

    /// <summary>First CGCS2000 3-degree Gauss–Krüger zone code without false-easting prefix (central meridian 75°E).</summary>
    public const int Cgcs2000GaussKrugerFirst = 4534;

    /// <summary>Last CGCS2000 3-degree Gauss–Krüger zone code without false-easting prefix (central meridian 135°E).</summary>
    public const int Cgcs2000GaussKrugerLast = 4554;
}
