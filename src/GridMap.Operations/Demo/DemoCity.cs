using System.Text;
using System.Text.Json;
using GridMap.Data;
using GridMap.Geo;
using NetTopologySuite.Geometries;

namespace GridMap.Operations.Demo;

/// One feature of the demo city: its id, WGS 84 geometry (on the 7-decimal grid the files use) and its
/// properties in the order they are written.
public sealed record DemoFeature(long Id, Geometry Geometry, IReadOnlyList<KeyValuePair<string, object?>> Properties)
{
    public object? this[string name] => Properties.FirstOrDefault(p => p.Key == name).Value;
}

/// The generated demo city: the features of every layer of <see cref="DemoData.LoadOrder"/>.
public sealed class DemoCity
{
    /// Decimal places of the written coordinates (about 1 cm).
    public const int Decimals = 7;

    public Dictionary<string, List<DemoFeature>> Layers { get; } =
        DemoData.LoadOrder.ToDictionary(l => l.Id, _ => new List<DemoFeature>());

    public List<DemoFeature> this[Layer layer] => Layers[layer.Id];

    /// Writes one `LAYER.geojson` per layer, one feature per line so a regenerated file diffs well.
    public void WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var layer in DemoData.LoadOrder)
            File.WriteAllText(Path.Combine(directory, $"{layer.Id}.geojson"), ToGeoJson(this[layer]), new UTF8Encoding(false));
    }

    public static string ToGeoJson(IEnumerable<DemoFeature> features)
    {
        var list = features.ToList();
        var bytes = JsonText.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", "FeatureCollection");
            writer.WriteStartArray("features");
            // One feature per line: each goes in as a raw value led by a line break (JSON whitespace).
            for (var i = 0; i < list.Count; i++)
            {
                var feature = JsonText.Write(w => WriteFeature(w, list[i]));
                writer.WriteRawValue([(byte)'\n', .. feature, .. i == list.Count - 1 ? "\n"u8 : []]);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
        return Encoding.UTF8.GetString(bytes) + "\n";
    }

    private static void WriteFeature(Utf8JsonWriter writer, DemoFeature feature)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "Feature");
        writer.WriteNumber("id", feature.Id);
        writer.WritePropertyName("geometry");
        GeoJson.WriteGeometry(writer, feature.Geometry, Decimals, keepRingOrientation: true);
        writer.WriteStartObject("properties");
        foreach (var (name, value) in feature.Properties)
        {
            switch (value)
            {
                case null:
                    writer.WriteNull(name);
                    break;
                case string s:
                    writer.WriteString(name, s);
                    break;
                case bool b:
                    writer.WriteBoolean(name, b);
                    break;
                case int i:
                    writer.WriteNumber(name, i);
                    break;
                case long l:
                    writer.WriteNumber(name, l);
                    break;
                case double d:
                    writer.WriteNumber(name, Math.Round(d, 1));
                    break;
                default:
                    throw new ArgumentException($"{name} has a value of type {value.GetType().Name}", nameof(feature));
            }
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
