using NetTopologySuite.Geometries;

namespace GridMap.Geo;

/// <summary>Geometry factories for the reference systems GridMap stores. Thread-safe (factories are immutable).</summary>
public static class GeometryFactories
{
    /// <summary>WGS 84 longitude/latitude (SRID 4326), floating precision: every stored geometry uses it.</summary>
    public static readonly GeometryFactory Wgs84 = new(new PrecisionModel(), Srid.Wgs84);
}
