using System.Text.Json;
using System.Text.Json.Nodes;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace GridMap.Geo;

/// <summary>
/// GeoJSON geometries in and out through NetTopologySuite.IO.GeoJSON4STJ: input is checked by
/// <see cref="GeoJsonShape"/> first (for errors naming the member), output rounds positions and writes
/// outer rings counter-clockwise (RFC 7946 §3.1.6). Thread-safe: the serializer options are shared and
/// immutable once used.
/// </summary>
public static class GeoJson
{
    /// <summary>Options with the GeoJSON4STJ converters for WGS 84 geometries and features.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new GeoJsonConverterFactory(GeometryFactories.Wgs84, false, GeoJsonConverterFactory.DefaultIdPropertyName,
            RingOrientationOption.EnforceRfc9746) },
    };

    // For geometries whose rings PostGIS already turned (ST_ForcePolygonCCW) before an axis swap.
    private static readonly JsonSerializerOptions AsIsOptions = new()
    {
        Converters = { new GeoJsonConverterFactory(GeometryFactories.Wgs84, false, GeoJsonConverterFactory.DefaultIdPropertyName,
            RingOrientationOption.DoNotModify) },
    };

    /// <summary>
    /// Reads a GeoJSON geometry object as a 2D WGS 84 geometry. Coordinates must be finite numbers with two or
    /// three per position; a third value (height) is checked and dropped.
    /// </summary>
    /// <param name="element">The geometry object.</param>
    /// <param name="path">JSON path of <paramref name="element"/>, used in error messages.</param>
    /// <exception cref="GeoJsonException">The object is not a valid GeoJSON geometry of a stored type.</exception>
    public static Geometry ReadGeometry(JsonElement element, string path = "geometry")
    {
        GeoJsonShape.Validate(element, path);
        Geometry? geometry;
        try
        {
            geometry = element.Deserialize<Geometry>(Options);
        }
        catch (JsonException e)
        {
            throw new GeoJsonException(path, $"{path} is not a valid GeoJSON geometry: {e.Message}");
        }
        if (geometry is null)
            throw new GeoJsonException(path, $"{path} must be a GeoJSON geometry object.");
        geometry = Force2D(geometry);
        geometry.SRID = Srid.Wgs84;
        return geometry;
    }

    /// <summary>Parses a GeoJSON geometry from text.</summary>
    /// <exception cref="GeoJsonException">The text is not JSON or not a GeoJSON geometry.</exception>
    public static Geometry ParseGeometry(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return ReadGeometry(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new GeoJsonException("geometry", $"Not valid JSON: {e.Message}");
        }
    }

    /// <summary>
    /// Writes <paramref name="geometry"/> as a GeoJSON geometry object, positions rounded to
    /// <paramref name="decimals"/> places; outer rings counter-clockwise unless <paramref name="keepRingOrientation"/>.
    /// </summary>
    public static void WriteGeometry(Utf8JsonWriter writer, Geometry geometry, int decimals = 7, bool keepRingOrientation = false) =>
        JsonSerializer.Serialize(writer, Round(geometry, decimals), keepRingOrientation ? AsIsOptions : Options);

    /// <summary>Returns <paramref name="geometry"/> as GeoJSON text, positions rounded to <paramref name="decimals"/> places.</summary>
    public static string ToJson(Geometry geometry, int decimals = 7) => JsonSerializer.Serialize(Round(geometry, decimals), Options);

    /// <summary>Returns <paramref name="geometry"/> as a GeoJSON node, positions rounded to <paramref name="decimals"/> places.</summary>
    public static JsonNode ToNode(Geometry geometry, int decimals = 7) => JsonSerializer.SerializeToNode(Round(geometry, decimals), Options)!;

    private static Geometry Round(Geometry geometry, int decimals)
    {
        var copy = geometry.Copy();
        copy.Apply(new RoundFilter(decimals));
        return copy;
    }

    // GeoJSON4STJ keeps a third ordinate it reads; the stored columns are 2D.
    private static Geometry Force2D(Geometry geometry)
    {
        foreach (var c in geometry.Coordinates)
        {
            if (!double.IsNaN(c.Z))
                return new DropZ().Transform(geometry);
        }
        return geometry;
    }

    private sealed class RoundFilter(int decimals) : ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            seq.SetX(i, Math.Round(seq.GetX(i), decimals));
            seq.SetY(i, Math.Round(seq.GetY(i), decimals));
        }
    }

    private sealed class DropZ : NetTopologySuite.Geometries.Utilities.GeometryTransformer
    {
        protected override CoordinateSequence TransformCoordinates(CoordinateSequence coords, Geometry parent)
        {
            var xy = Factory.CoordinateSequenceFactory.Create(coords.Count, 2, 0);
            for (var i = 0; i < coords.Count; i++)
            {
                xy.SetX(i, coords.GetX(i));
                xy.SetY(i, coords.GetY(i));
            }
            return xy;
        }
    }
}
