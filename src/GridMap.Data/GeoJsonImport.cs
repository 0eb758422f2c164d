using System.Text.Json;

namespace GridMap.Data;

/// Reads a GeoJSON FeatureCollection (or one Feature) for a layer. Every feature is validated as the
/// API validates a POST; the first bad one stops the import and names itself (features[12].geometry).
public static class GeoJsonImport
{
    public static IReadOnlyList<(long? Id, FeatureWrite Feature)> Read(Stream stream, Layer layer, InputCoordinates coordinates)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new FeatureRejectedException("file", $"Not valid JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var type) && type.GetString() == "Feature")
                return [(ReadId(root, "feature"), FeatureReader.Read(root, layer, WriteMode.Create, coordinates))];
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("features", out var features)
                || features.ValueKind != JsonValueKind.Array)
                throw new FeatureRejectedException("features", "Expected a GeoJSON FeatureCollection with a features array.");
            var result = new List<(long?, FeatureWrite)>(features.GetArrayLength());
            var i = 0;
            foreach (var feature in features.EnumerateArray())
            {
                var path = $"features[{i++}]";
                result.Add((ReadId(feature, path), FeatureReader.Read(feature, layer, WriteMode.Create, coordinates, path)));
            }
            return result;
        }
    }

    /// An integer feature id (top-level `id`, else `properties.id`) is kept, so files that refer to each
    /// other (buildings → compounds) load as they are; anything else lets the database choose.
    private static long? ReadId(JsonElement feature, string path)
    {
        if (feature.ValueKind != JsonValueKind.Object)
            return null;
        if (!feature.TryGetProperty("id", out var id)
            && !(feature.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
                 && properties.TryGetProperty("id", out id)))
            return null;
        if (id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var value) && value > 0)
            return value;
        if (id.ValueKind == JsonValueKind.String)
            return null;
        throw new FeatureRejectedException($"{path}.id", $"{path}.id must be a positive integer or a string.");
    }
}
