using System.Text.Json;
using GridMap.Data;
using GridMap.Geo;
using Microsoft.AspNetCore.WebUtilities;

namespace GridMap.Api.Features;

/// Writes OGC API – Features documents. Geometry is written by GeoJSON4STJ, or copied in raw where PostGIS
/// wrote it (the feature page fast path); the properties object arrives as JSON text from PostGIS.
public static class FeatureJson
{
    public const string GeoJson = "application/geo+json";

    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";

    public static byte[] Write(Action<Utf8JsonWriter> write) => JsonText.Write(write);

    /// <paramref name="decimals"/>: places of the output CRS (7 for degrees, 2 for metres).
    public static void WriteFeature(Utf8JsonWriter writer, Layer layer, FeatureRow row, int decimals, string baseUrl, bool withLinks)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "Feature");
        writer.WriteNumber("id", row.Id);
        writer.WritePropertyName("geometry");
        GridMap.Geo.GeoJson.WriteGeometry(writer, row.Geometry, decimals, keepRingOrientation: true);
        WriteRest(writer, layer, row.Id, row.PropertiesJson, baseUrl, withLinks);
    }

    public static void WriteFeature(Utf8JsonWriter writer, Layer layer, GeoJsonFeatureRow row, string baseUrl, bool withLinks)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "Feature");
        writer.WriteNumber("id", row.Id);
        writer.WritePropertyName("geometry");
        writer.WriteRawValue(row.GeometryJson, skipInputValidation: true);
        WriteRest(writer, layer, row.Id, row.PropertiesJson, baseUrl, withLinks);
    }

    private static void WriteRest(Utf8JsonWriter writer, Layer layer, long id, string propertiesJson, string baseUrl, bool withLinks)
    {
        writer.WritePropertyName("properties");
        writer.WriteRawValue(propertiesJson, skipInputValidation: true);
        if (withLinks)
        {
            var self = $"{baseUrl}/collections/{layer.Id}/items/{id}";
            WriteLinks(writer, [
                (self, "self", GeoJson, "This feature"),
                ($"{baseUrl}/collections/{layer.Id}", "collection", "application/json", layer.Title),
            ]);
        }
        writer.WriteEndObject();
    }

    public static byte[] FeatureCollection(HttpRequest request, Layer layer, FeatureQuery query, long matched,
        IReadOnlyList<FeatureRow> rows, int decimals) =>
        FeatureCollection(request, layer, query, matched, rows.Count,
            (writer, baseUrl) =>
            {
                foreach (var row in rows)
                    WriteFeature(writer, layer, row, decimals, baseUrl, withLinks: false);
            });

    public static byte[] FeatureCollection(HttpRequest request, Layer layer, FeatureQuery query, long matched,
        IReadOnlyList<GeoJsonFeatureRow> rows) =>
        FeatureCollection(request, layer, query, matched, rows.Count,
            (writer, baseUrl) =>
            {
                foreach (var row in rows)
                    WriteFeature(writer, layer, row, baseUrl, withLinks: false);
            });

    private static byte[] FeatureCollection(HttpRequest request, Layer layer, FeatureQuery query, long matched, int returned,
        Action<Utf8JsonWriter, string> writeFeatures)
    {
        var baseUrl = BaseUrl(request);
        var itemsUrl = $"{baseUrl}/collections/{layer.Id}/items";
        var links = new List<(string, string, string, string)> { (PageUrl(itemsUrl, request, query.Offset), "self", GeoJson, "This page") };
        if (query.Offset + returned < matched)
            links.Add((PageUrl(itemsUrl, request, query.Offset + query.Limit), "next", GeoJson, "Next page"));
        if (query.Offset > 0)
            links.Add((PageUrl(itemsUrl, request, Math.Max(0, query.Offset - query.Limit)), "prev", GeoJson, "Previous page"));
        links.Add(($"{baseUrl}/collections/{layer.Id}", "collection", "application/json", layer.Title));
        return Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", "FeatureCollection");
            writer.WriteNumber("numberMatched", matched);
            writer.WriteNumber("numberReturned", returned);
            writer.WriteString("timeStamp", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteStartArray("features");
            writeFeatures(writer, baseUrl);
            writer.WriteEndArray();
            WriteLinks(writer, links);
            writer.WriteEndObject();
        });
    }

    public static void WriteLinks(Utf8JsonWriter writer, IEnumerable<(string Href, string Rel, string Type, string Title)> links)
    {
        writer.WriteStartArray("links");
        foreach (var (href, rel, type, title) in links)
        {
            writer.WriteStartObject();
            writer.WriteString("href", href);
            writer.WriteString("rel", rel);
            writer.WriteString("type", type);
            writer.WriteString("title", title);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static string PageUrl(string itemsUrl, HttpRequest request, int offset)
    {
        var parameters = request.Query
            .Where(p => p.Key != "offset")
            .Select(p => new KeyValuePair<string, string?>(p.Key, p.Value.ToString()))
            .Append(new KeyValuePair<string, string?>("offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return QueryHelpers.AddQueryString(itemsUrl, parameters);
    }
}
