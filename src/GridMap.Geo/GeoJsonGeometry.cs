using System.Text.Json;
using NetTopologySuite.Geometries;

namespace GridMap.Geo;

/// <summary>
/// Reads and writes RFC 7946 GeoJSON geometries as NetTopologySuite geometries.
/// NetTopologySuite.IO.GeoJSON cannot be restored on this project's machines, so this covers the
/// geometry types GridMap stores: Point, LineString, Polygon and their Multi forms.
/// Stateless and thread-safe.
/// </summary>
public static class GeoJsonGeometry
{
    /// <summary>Factory for WGS 84 geometries (SRID 4326, floating precision).</summary>
    public static readonly GeometryFactory Wgs84Factory = new(new PrecisionModel(), Srid.Wgs84);

    /// <summary>
    /// Reads a GeoJSON geometry object. Coordinates must be finite numbers with at least two positions
    /// per point; a third value (height) is ignored.
    /// </summary>
    /// <param name="element">The geometry object.</param>
    /// <param name="path">JSON path of <paramref name="element"/>, used in error messages.</param>
    /// <param name="factory">Factory for the result; <see cref="Wgs84Factory"/> when null.</param>
    /// <exception cref="GeoJsonException">The object is not a valid GeoJSON geometry.</exception>
    public static Geometry Read(JsonElement element, string path = "geometry", GeometryFactory? factory = null)
    {
        factory ??= Wgs84Factory;
        if (element.ValueKind != JsonValueKind.Object)
            throw new GeoJsonException(path, $"{path} must be a GeoJSON geometry object.");
        if (!element.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            throw new GeoJsonException($"{path}.type", $"{path}.type is missing.");
        var type = typeElement.GetString()!;
        if (type == "GeometryCollection")
            throw new GeoJsonException($"{path}.type", "GeometryCollection is not supported; send one geometry per feature.");
        if (!element.TryGetProperty("coordinates", out var c))
            throw new GeoJsonException($"{path}.coordinates", $"{path}.coordinates is missing.");
        var at = $"{path}.coordinates";
        return type switch
        {
            "Point" => factory.CreatePoint(ReadPosition(c, at)),
            "LineString" => ReadLineString(c, at, factory),
            "Polygon" => ReadPolygon(c, at, factory),
            "MultiPoint" => factory.CreateMultiPoint(ReadArray(c, at, (e, p) => factory.CreatePoint(ReadPosition(e, p)))),
            "MultiLineString" => factory.CreateMultiLineString(ReadArray(c, at, (e, p) => ReadLineString(e, p, factory))),
            "MultiPolygon" => factory.CreateMultiPolygon(ReadArray(c, at, (e, p) => ReadPolygon(e, p, factory))),
            _ => throw new GeoJsonException($"{path}.type", $"'{type}' is not a GeoJSON geometry type."),
        };
    }

    /// <summary>Parses a GeoJSON geometry from text.</summary>
    /// <exception cref="GeoJsonException">The text is not JSON or not a GeoJSON geometry.</exception>
    public static Geometry Parse(string json, GeometryFactory? factory = null)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Read(document.RootElement, "geometry", factory);
        }
        catch (JsonException e)
        {
            throw new GeoJsonException("geometry", $"Not valid JSON: {e.Message}");
        }
    }

    /// <summary>Writes <paramref name="geometry"/> as a GeoJSON geometry object, rounding to <paramref name="decimals"/> places.</summary>
    /// <exception cref="ArgumentException">The geometry is a GeometryCollection.</exception>
    public static void Write(Utf8JsonWriter writer, Geometry geometry, int decimals = 7)
    {
        writer.WriteStartObject();
        writer.WriteString("type", geometry.GeometryType);
        writer.WritePropertyName("coordinates");
        WriteCoordinates(writer, geometry, decimals);
        writer.WriteEndObject();
    }

    /// <summary>Returns <paramref name="geometry"/> as GeoJSON text.</summary>
    public static string ToJson(Geometry geometry, int decimals = 7)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
            Write(writer, geometry, decimals);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteCoordinates(Utf8JsonWriter writer, Geometry geometry, int decimals)
    {
        switch (geometry)
        {
            case Point point:
                WritePosition(writer, point.Coordinate, decimals);
                break;
            case LineString line:
                WritePositions(writer, line.Coordinates, decimals);
                break;
            case Polygon polygon:
                writer.WriteStartArray();
                WritePositions(writer, polygon.ExteriorRing.Coordinates, decimals);
                foreach (var hole in polygon.InteriorRings)
                    WritePositions(writer, hole.Coordinates, decimals);
                writer.WriteEndArray();
                break;
            case MultiPoint or MultiLineString or MultiPolygon:
                writer.WriteStartArray();
                for (var i = 0; i < geometry.NumGeometries; i++)
                    WriteCoordinates(writer, geometry.GetGeometryN(i), decimals);
                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"{geometry.GeometryType} cannot be written as GeoJSON here.", nameof(geometry));
        }
    }

    private static void WritePositions(Utf8JsonWriter writer, Coordinate[] coordinates, int decimals)
    {
        writer.WriteStartArray();
        foreach (var c in coordinates)
            WritePosition(writer, c, decimals);
        writer.WriteEndArray();
    }

    private static void WritePosition(Utf8JsonWriter writer, Coordinate? c, int decimals)
    {
        writer.WriteStartArray();
        if (c is not null)
        {
            writer.WriteNumberValue(Math.Round(c.X, decimals));
            writer.WriteNumberValue(Math.Round(c.Y, decimals));
        }
        writer.WriteEndArray();
    }

    private static T[] ReadArray<T>(JsonElement element, string path, Func<JsonElement, string, T> readItem)
    {
        if (element.ValueKind != JsonValueKind.Array)
            throw new GeoJsonException(path, $"{path} must be an array.");
        var items = new T[element.GetArrayLength()];
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            items[i] = readItem(item, $"{path}[{i}]");
            i++;
        }
        return items;
    }

    private static Coordinate ReadPosition(JsonElement element, string path)
    {
        // RFC 7946 §3.1.1: two or three numbers; an altitude is checked and then dropped (GridMap is 2D).
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() is < 2 or > 3)
            throw new GeoJsonException(path, $"{path} must be a position [x, y] or [x, y, altitude].");
        if (element.GetArrayLength() == 3)
            ReadNumber(element[2], path + "[2]");
        return new Coordinate(ReadNumber(element[0], path + "[0]"), ReadNumber(element[1], path + "[1]"));
    }

    private static double ReadNumber(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var value) || !double.IsFinite(value))
            throw new GeoJsonException(path, $"{path} must be a finite number.");
        return value;
    }

    private static LineString ReadLineString(JsonElement element, string path, GeometryFactory factory)
    {
        var positions = ReadArray(element, path, ReadPosition);
        if (positions.Length < 2)
            throw new GeoJsonException(path, $"{path} needs at least two positions.");
        return factory.CreateLineString(positions);
    }

    private static Polygon ReadPolygon(JsonElement element, string path, GeometryFactory factory)
    {
        var rings = ReadArray(element, path, (e, p) => ReadRing(e, p, factory));
        if (rings.Length == 0)
            throw new GeoJsonException(path, $"{path} needs an outer ring.");
        return factory.CreatePolygon(rings[0], rings[1..]);
    }

    private static LinearRing ReadRing(JsonElement element, string path, GeometryFactory factory)
    {
        var positions = ReadArray(element, path, ReadPosition);
        if (positions.Length < 4)
            throw new GeoJsonException(path, $"{path}: a linear ring needs at least four positions.");
        if (!positions[0].Equals2D(positions[^1]))
            throw new GeoJsonException(path, $"{path}: a linear ring must end where it starts.");
        return factory.CreateLinearRing(positions);
    }
}
