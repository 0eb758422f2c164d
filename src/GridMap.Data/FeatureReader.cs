using System.Text.Json;
using GridMap.Geo;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;

namespace GridMap.Data;

public enum WriteMode
{
    /// POST and imports: geometry and required properties must be present.
    Create,
    /// PUT: like Create; properties not given go back to their defaults.
    Replace,
    /// PATCH: an RFC 7396 merge patch; only what is given changes, null clears a property.
    Patch,
}

/// How incoming coordinates are written: their system (WGS 84, CGCS2000, GCJ-02, BD-09) and whether
/// positions are latitude first (Content-Crs EPSG:4326/4490 in OGC API – Features Part 4).
public sealed record InputCoordinates(CoordinateSystem System, bool LatitudeFirst)
{
    public static readonly InputCoordinates Wgs84 = new(CoordinateSystem.Wgs84, false);
}

/// Turns a GeoJSON Feature into a validated <see cref="FeatureWrite"/> for a layer, or throws
/// <see cref="FeatureRejectedException"/> naming the offending member. Nothing here touches the database.
public static class FeatureReader
{
    private const int MaxTextLength = 2000;
    private const int MaxVertices = 100_000;
    private const double MaxExtentDegrees = 2.0;

    /// <paramref name="mode"/> Patch reads an RFC 7396 merge patch: members left out stay as stored, a property
    /// set to null is cleared (refused for required properties, naming the member), geometry is optional.
    public static FeatureWrite Read(JsonElement feature, Layer layer, WriteMode mode, InputCoordinates coordinates,
        string path = "")
    {
        if (feature.ValueKind != JsonValueKind.Object)
            throw new FeatureRejectedException(Name(path, "body"),
                mode == WriteMode.Patch ? "The body must be a JSON merge patch object." : "The body must be a GeoJSON Feature object.");
        // A PATCH is an RFC 7396 merge patch of the feature (OGC API – Features Part 4): `type` may be left out.
        var hasType = feature.TryGetProperty("type", out var type);
        if ((hasType || mode != WriteMode.Patch)
            && (type.ValueKind != JsonValueKind.String || type.GetString() != "Feature"))
            throw new FeatureRejectedException(Name(path, "type"), $"{Name(path, "type")} must be \"Feature\".");

        Geometry? geometry = null;
        var hasGeometry = feature.TryGetProperty("geometry", out var geometryElement);
        if (hasGeometry && geometryElement.ValueKind != JsonValueKind.Null)
            geometry = ReadGeometry(geometryElement, layer, coordinates, Name(path, "geometry"));
        else if (mode != WriteMode.Patch)
            throw new FeatureRejectedException(Name(path, "geometry"), $"{Name(path, "geometry")} is required.");
        else if (hasGeometry)
            // Merge patch null removes a member; every stored feature keeps a geometry.
            throw new FeatureRejectedException(Name(path, "geometry"),
                $"{Name(path, "geometry")} cannot be removed; leave it out to keep the stored geometry.");

        var properties = new Dictionary<string, object?>();
        var hasProperties = feature.TryGetProperty("properties", out var propertiesElement);
        if (mode == WriteMode.Patch && hasProperties && propertiesElement.ValueKind == JsonValueKind.Null)
            throw new FeatureRejectedException(Name(path, "properties"),
                $"{Name(path, "properties")} cannot be removed as a whole; set single properties to null to clear them.");
        if (hasProperties && propertiesElement.ValueKind != JsonValueKind.Null)
        {
            if (propertiesElement.ValueKind != JsonValueKind.Object)
                throw new FeatureRejectedException(Name(path, "properties"), $"{Name(path, "properties")} must be an object.");
            foreach (var member in propertiesElement.EnumerateObject())
            {
                var name = Name(path, $"properties.{member.Name}");
                if (member.Name == "id")
                    continue;
                var property = layer.FindProperty(member.Name)
                    ?? throw new FeatureRejectedException(name,
                        $"{name} is not a property of {layer.Id}; known: {string.Join(", ", layer.Properties.Select(p => p.Name))}.");
                if (property.ReadOnly)
                    continue;
                properties[property.Name] = ReadValue(member.Value, property, name);
            }
        }
        if (mode != WriteMode.Patch)
        {
            foreach (var required in layer.Properties.Where(p => p.Required))
            {
                if (properties.GetValueOrDefault(required.Name) is null)
                    throw new FeatureRejectedException(Name(path, $"properties.{required.Name}"),
                        $"{Name(path, $"properties.{required.Name}")} is required.");
            }
        }
        return new FeatureWrite(geometry, properties);
    }

    /// Reads, converts to WGS 84 and validates a geometry for the layer.
    public static Geometry ReadGeometry(JsonElement element, Layer layer, InputCoordinates coordinates, string path)
    {
        Geometry geometry;
        try
        {
            geometry = GeoJson.ReadGeometry(element, path);
        }
        catch (GeoJsonException e)
        {
            throw new FeatureRejectedException(e.Path, e.Message);
        }
        var expected = layer.Kind switch
        {
            GeometryKind.Polygon => geometry is Polygon or MultiPolygon,
            GeometryKind.Point => geometry is Point,
            _ => geometry is LineString,
        };
        if (!expected)
        {
            var allowed = layer.Kind switch
            {
                GeometryKind.Polygon => "Polygon or MultiPolygon",
                GeometryKind.Point => "Point",
                _ => "LineString",
            };
            throw new FeatureRejectedException(path, $"{path} is a {geometry.GeometryType}; {layer.Id} takes {allowed}.");
        }
        if (geometry.IsEmpty)
            throw new FeatureRejectedException(path, $"{path} is empty.");
        if (geometry.NumPoints > MaxVertices)
            throw new FeatureRejectedException(path, $"{path} has {geometry.NumPoints} positions; at most {MaxVertices} are accepted per feature.");
        if (coordinates.LatitudeFirst)
            geometry.Apply(new SwapXY());
        foreach (var c in geometry.Coordinates)
        {
            if (c.X is < -180 or > 180 || c.Y is < -90 or > 90)
                throw new FeatureRejectedException(path,
                    $"{path} has a position ({c.X}, {c.Y}) outside longitude -180..180 / latitude -90..90.");
        }
        if (coordinates.System != CoordinateSystem.Wgs84)
            geometry = CoordinateConversion.ToWgs84(geometry, coordinates.System);
        var extent = geometry.EnvelopeInternal;
        if (extent.Width > MaxExtentDegrees || extent.Height > MaxExtentDegrees)
            throw new FeatureRejectedException(path,
                $"{path} spans {extent.Width:0.##}° × {extent.Height:0.##}°; a feature of a city's grid data spans at most {MaxExtentDegrees}° (about 200 km).");
        var validation = new IsValidOp(geometry).ValidationError;
        if (validation is not null)
            throw new FeatureRejectedException(path,
                $"{path} is not a valid {geometry.GeometryType}: {validation.Message} at ({validation.Coordinate.X}, {validation.Coordinate.Y}).");
        geometry.SRID = Srid.Wgs84;
        return geometry;
    }

    private static object? ReadValue(JsonElement value, LayerProperty property, string name)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (property.Required)
                throw new FeatureRejectedException(name, $"{name} must not be null.");
            return null;
        }
        switch (property.Type)
        {
            case PropertyType.Text:
                if (value.ValueKind != JsonValueKind.String)
                    throw new FeatureRejectedException(name, $"{name} must be a string.");
                var text = value.GetString()!;
                if (text.Length > MaxTextLength)
                    throw new FeatureRejectedException(name, $"{name} is longer than {MaxTextLength} characters.");
                if (property.AllowedValues is { } allowed && !allowed.Contains(text))
                    throw new FeatureRejectedException(name, $"{name} must be one of {string.Join(", ", allowed)}.");
                return text;
            case PropertyType.Integer:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var integer))
                    throw new FeatureRejectedException(name, $"{name} must be an integer.");
                return integer;
            case PropertyType.Number:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
                    throw new FeatureRejectedException(name, $"{name} must be a finite number.");
                return number;
            default:
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    throw new FeatureRejectedException(name, $"{name} must be true or false.");
                return value.GetBoolean();
        }
    }

    /// Parses a filter value from a query string as the property's type; null when it does not parse.
    public static object? ParseFilterValue(LayerProperty property, string text) => property.Type switch
    {
        PropertyType.Text => text,
        PropertyType.Integer => long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var i) ? i : null,
        PropertyType.Number => double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null,
        _ => bool.TryParse(text, out var b) ? b : null,
    };

    private static string Name(string path, string member) => path.Length == 0 ? member : $"{path}.{member}";

    private sealed class SwapXY : ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var x = seq.GetX(i);
            seq.SetX(i, seq.GetY(i));
            seq.SetY(i, x);
        }
    }
}
