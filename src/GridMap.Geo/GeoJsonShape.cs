using System.Text.Json;

namespace GridMap.Geo;

/// <summary>
/// Checks that a JSON value is an RFC 7946 geometry of a type GridMap stores (Point, LineString, Polygon and
/// their Multi forms) before NetTopologySuite.IO.GeoJSON4STJ builds it, so that a mistake is reported with
/// the member at fault (<c>geometry.coordinates[0][3]</c>) rather than as the converter's general message.
/// Builds nothing. Stateless and thread-safe.
/// </summary>
public static class GeoJsonShape
{
    /// <summary>
    /// Checks <paramref name="element"/>: a geometry object whose coordinates are finite numbers, two or three
    /// per position, with at least two positions per line and four per closed ring.
    /// </summary>
    /// <param name="element">The geometry object.</param>
    /// <param name="path">JSON path of <paramref name="element"/>, used in error messages.</param>
    /// <exception cref="GeoJsonException">The value is not such a geometry; <see cref="GeoJsonException.Path"/> names the member.</exception>
    public static void Validate(JsonElement element, string path)
    {
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
        switch (type)
        {
            case "Point":
                Position(c, at);
                break;
            case "LineString":
                Line(c, at);
                break;
            case "Polygon":
                Polygon(c, at);
                break;
            case "MultiPoint":
                Each(c, at, Position);
                break;
            case "MultiLineString":
                Each(c, at, Line);
                break;
            case "MultiPolygon":
                Each(c, at, Polygon);
                break;
            default:
                throw new GeoJsonException($"{path}.type", $"'{type}' is not a GeoJSON geometry type.");
        }
    }

    private static int Each(JsonElement element, string path, Action<JsonElement, string> check)
    {
        if (element.ValueKind != JsonValueKind.Array)
            throw new GeoJsonException(path, $"{path} must be an array.");
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            check(item, $"{path}[{i}]");
            i++;
        }
        return i;
    }

    private static void Position(JsonElement element, string path)
    {
        // RFC 7946 §3.1.1: two or three numbers; an altitude is checked and then dropped (GridMap is 2D).
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() is < 2 or > 3)
            throw new GeoJsonException(path, $"{path} must be a position [x, y] or [x, y, altitude].");
        Number(element[0], path + "[0]");
        Number(element[1], path + "[1]");
        if (element.GetArrayLength() == 3)
            Number(element[2], path + "[2]");
    }

    private static void Number(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var value) || !double.IsFinite(value))
            throw new GeoJsonException(path, $"{path} must be a finite number.");
    }

    private static void Line(JsonElement element, string path)
    {
        if (Each(element, path, Position) < 2)
            throw new GeoJsonException(path, $"{path} needs at least two positions.");
    }

    private static void Polygon(JsonElement element, string path)
    {
        if (Each(element, path, Ring) == 0)
            throw new GeoJsonException(path, $"{path} needs an outer ring.");
    }

    private static void Ring(JsonElement element, string path)
    {
        if (Each(element, path, Position) < 4)
            throw new GeoJsonException(path, $"{path}: a linear ring needs at least four positions.");
        var first = element[0];
        var last = element[element.GetArrayLength() - 1];
        if (first[0].GetDouble() != last[0].GetDouble() || first[1].GetDouble() != last[1].GetDouble())
            throw new GeoJsonException(path, $"{path}: a linear ring must end where it starts.");
    }
}
