using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace GridMap.IntegrationTests.Support;

public static class Http
{
    public static StringContent GeoJson(string json) =>
        new(json, Encoding.UTF8, "application/geo+json");

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    public static async Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string url,
        string? body = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
            request.Content = GeoJson(body);
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request);
    }

    public static string ETag(this HttpResponseMessage response) => response.Headers.ETag?.ToString()
        ?? throw new InvalidOperationException("No ETag");

    public static MediaTypeHeaderValue? ContentType(this HttpResponseMessage response) => response.Content.Headers.ContentType;

    /// A square polygon feature around (lon, lat), half side in degrees.
    public static string Square(double lon, double lat, double half, string properties) =>
        $$"""
        {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[{{lon - half}},{{lat - half}}],[{{lon + half}},{{lat - half}}],[{{lon + half}},{{lat + half}}],[{{lon - half}},{{lat + half}}],[{{lon - half}},{{lat - half}}]]]},"properties":{{properties}}}
        """;

    public static string PointFeature(double lon, double lat, string properties) =>
        $$"""{"type":"Feature","geometry":{"type":"Point","coordinates":[{{lon}},{{lat}}]},"properties":{{properties}}}""";
}
