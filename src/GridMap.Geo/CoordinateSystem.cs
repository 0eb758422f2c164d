namespace GridMap.Geo;

/// <summary>Horizontal coordinate systems GridMap accepts on import and returns on export, all longitude/latitude in degrees.</summary>
public enum CoordinateSystem
{
    /// <summary>WGS 84 (EPSG:4326), what GridMap stores.</summary>
    Wgs84,

    /// <summary>CGCS2000 geographic (EPSG:4490); treated as identical to WGS 84, from which it differs by centimetres.</summary>
    Cgcs2000,

    /// <summary>GCJ-02, the offset system of AMap and Tencent maps; see <see cref="ChineseOffsets"/>.</summary>
    Gcj02,

    /// <summary>BD-09, Baidu's offset on top of GCJ-02; see <see cref="ChineseOffsets"/>.</summary>
    Bd09,
}
