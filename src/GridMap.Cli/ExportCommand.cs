using System.Text.Json;
using GridMap.Data;
using GridMap.Geo;

namespace GridMap.Cli;

/// `gridmap export LAYER [--out FILE] [--coords wgs84|cgcs2000|gcj02|bd09]`: a GeoJSON FeatureCollection
/// with every feature (id in properties too), on stdout unless --out is given.
public static class ExportCommand
{
    private const int PageSize = 5000;

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var options = new Options(args);
        var outPath = options.Get("out");
        var coordsText = options.Get("coords") ?? "wgs84";
        options.RejectUnknown();
        if (options.Positional.Count != 1)
            throw new UsageException("usage: export LAYER [--out FILE] [--coords wgs84|cgcs2000|gcj02|bd09]");
        if (!CoordinateConversion.TryParse(coordsText, out var system))
            throw new UsageException($"--coords must be wgs84, cgcs2000, gcj02 or bd09, not '{coordsText}'");
        var layer = CliDatabase.Layer(options.Positional[0]);
        await using var dataSource = await CliDatabase.OpenAsync(ct);
        var store = new FeatureStore(dataSource);
        await using var output = outPath is null ? Console.OpenStandardOutput() : File.Create(outPath);
        await using var writer = new Utf8JsonWriter(output, JsonText.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        writer.WriteStartArray("features");
        var count = 0;
        for (var offset = 0; ; offset += PageSize)
        {
            var page = await store.ReadItemsAsync(layer, new FeatureQuery(null, new Dictionary<string, object>(), PageSize, offset),
                OutputCrs.Crs84, showPersonal: true, ct);
            foreach (var row in page)
            {
                var geometry = system is CoordinateSystem.Gcj02 or CoordinateSystem.Bd09
                    ? CoordinateConversion.FromWgs84(row.Geometry, system)
                    : row.Geometry;
                writer.WriteStartObject();
                writer.WriteString("type", "Feature");
                writer.WriteNumber("id", row.Id);
                writer.WritePropertyName("geometry");
                GeoJson.WriteGeometry(writer, geometry, OutputCrs.Crs84.Decimals);
                writer.WritePropertyName("properties");
                writer.WriteRawValue(row.PropertiesJson, skipInputValidation: true);
                writer.WriteEndObject();
            }
            count += page.Count;
            await writer.FlushAsync(ct);
            if (page.Count < PageSize)
                break;
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(ct);
        if (outPath is null)
            Console.Out.WriteLine();
        Console.Error.WriteLine($"exported {count} {layer.Id}");
        return 0;
    }
}
