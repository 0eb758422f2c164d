namespace GridMap.Data;

/// Axis-aligned box in WGS 84 degrees.
public readonly record struct BoundingBox(double MinLon, double MinLat, double MaxLon, double MaxLat);

/// An output coordinate reference system: the SRID to transform to and whether its axis order is
/// latitude first (EPSG:4326 and EPSG:4490 are, CRS84 is not; OGC API – Features Part 2).
public sealed record OutputCrs(string Uri, int Srid, bool LatitudeFirst, int Decimals)
{
    public const string Crs84Uri = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

    public static readonly OutputCrs Crs84 = new(Crs84Uri, 4326, false, 7);

    /// CRS84, EPSG:4326, EPSG:4490 (CGCS2000) and the CGCS2000 3-degree Gauss–Krüger zones 4534–4554.
    public static readonly IReadOnlyList<OutputCrs> Supported =
    [
        Crs84,
        new("http://www.opengis.net/def/crs/EPSG/0/4326", 4326, true, 7),
        new("http://www.opengis.net/def/crs/EPSG/0/4490", 4490, true, 7),
        .. Enumerable.Range(4534, 21).Select(srid => new OutputCrs($"http://www.opengis.net/def/crs/EPSG/0/{srid}", srid, true, 2)),
    ];

    public static OutputCrs? Find(string uri) => Supported.FirstOrDefault(c => c.Uri == uri);
}

/// What /collections/{layer}/items asks for. Filters are property = value, already typed.
public sealed record FeatureQuery(
    BoundingBox? Bbox,
    IReadOnlyDictionary<string, object> Filters,
    int Limit,
    int Offset);
