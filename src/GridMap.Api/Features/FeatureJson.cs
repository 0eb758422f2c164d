using System.Text.Json;
using GridMap.Data;
using GridMap.Geo;
using Microsoft.AspNetCore.WebUtilities;

namespace GridMap.Api.Features;

/// Writes OGC API – Features documents. Feature geometry and properties arrive as JSON text from PostGIS
/// and are copied in raw.
public static class FeatureJson
{
    public const string GeoJson = "application/geo+json";

    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";

    public static byte[] Write(Action<Utf8JsonWriter> write) => JsonText.Write(write);

    public static void WriteFeature(Utf8JsonWriter writer, Layer layer, FeatureRow row, string baseUrl, bool withLinks)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "Feature");
        writer.WriteNumber("id", row.Id);
        writer.WritePropertyName("geometry");
        writer.WriteRawValue(row.GeometryJson, skipInputValidation: true);
        writer.WritePropertyName("properties");
        writer.WriteRawValue(row.PropertiesJson, skipInputValidation: true);
        if (withLinks)
        {
            var self = $"{baseUrl}/collections/{layer.Id}/items/{row.Id}";
            WriteLinks(writer, [
                (self, "self", GeoJson, "This feature"),
                ($"{baseUrl}/collections/{layer.Id}", "collection", "application/json", layer.Title),
            ]);
        }
        writer.WriteEndObject();
    }

    public static byte[] FeatureCollection(HttpRequest request, Layer layer, FeatureQuery query, long matched,
        IReadOnlyList<FeatureRow> rows)
    {
        var baseUrl = BaseUrl(request);
        var itemsUrl = $"{baseUrl}/collections/{layer.Id}/items";
        var links = new List<(string, string, string, string)> { (PageUrl(itemsUrl, request, query.Offset), "self", GeoJson, "This page") };
        if (query.Offset + rows.Count < matched)
            links.Add((PageUrl(itemsUrl, request, query.Offset + query.Limit), "next", GeoJson, "Next page"));
        if (query.Offset > 0)
            links.Add((PageUrl(itemsUrl, request, Math.Max(0, query.Offset - query.Limit)), "prev", GeoJson, "Previous page"));
        links.Add(($"{baseUrl}/collections/{layer.Id}", "collection", "application/json", layer.Title));
        return Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", "FeatureCollection");
            writer.WriteNumber("numberMatched", matched);
            writer.WriteNumber("numberReturned", rows.Count);
            writer.WriteString("timeStamp", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteStartArray("features");
            foreach (var row in rows)
                WriteFeature(writer, layer, row, baseUrl, withLinks: false);
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
