using System.Text;

namespace GridMap.Load;

/// One malformed or hostile request. None of them is a valid write: bodies are broken, or If-Match is
/// missing or wrong, so a correct service answers every one with a 4xx (or a harmless 2xx read).
public sealed record HostileRequest(string Kind, HttpMethod Method, string Path, string? Body = null,
    string ContentType = "application/geo+json", string? IfMatch = null)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, Path);
        // An oversize body asks first (Expect: 100-continue), so the server's 413 arrives before the body
        // would be sent, instead of the server closing a connection that is still uploading.
        if (Kind == "oversize-body")
            message.Headers.ExpectContinue = true;
        if (Body is not null)
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body)) { Headers = { { "Content-Type", ContentType } } };
        if (IfMatch is not null)
            message.Headers.TryAddWithoutValidation("If-Match", IfMatch);
        return message;
    }
}

/// A deterministic stream of hostile requests against every endpoint the README lists.
public static class HostileRequests
{
    public static readonly string[] Layers =
        ["streets", "communities", "grids", "compounds", "buildings", "stations", "cameras", "roads", "water", "coverage", "heatmap"];

    /// Strings that break naive SQL, paths, JSON, HTML or number parsing.
    public static readonly string[] Poison =
    [
        "'", "' OR '1'='1", "'; DROP TABLE grids; --", "1; DELETE FROM buildings", "\"", "\\", "%00", "%27%3B",
        "../../etc/passwd", "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1/a}", "NaN", "Infinity", "-Infinity",
        "1e400", "-1", "0", "99999999999999999999999", "0x10", "", " ", "null", "[]", "{}", "漢字", "\u202e",
        "%F0%9F%92%A9", "%ZZ", "1,2,3,4,5", "1,2", "a,b,c,d", "117.8,31.6,117.7,31.5",
    ];

    private static readonly string[] BrokenJson =
    [
        "", "{", "}", "null", "true", "[]", "[1,2,3]", "\"text\"", "{\"type\":", "{\"type\":\"Feature\",}",
        "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[NaN,31.6]},\"properties\":{}}",
        "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[Infinity,31.6]},\"properties\":{}}",
        "\u0000\u0001\u0002", "{\"a\":" + new string('[', 5000) + new string(']', 5000) + "}",
    ];

    private static readonly string[] BadGeometries =
    [
        """{"type":"Polygon","coordinates":[[[117.88,31.6],[117.89,31.61],[117.89,31.6],[117.88,31.61],[117.88,31.6]]]}""",
        """{"type":"Polygon","coordinates":[]}""",
        """{"type":"Polygon","coordinates":[[]]}""",
        """{"type":"Polygon","coordinates":[[[117.88,31.6],[117.89,31.6],[117.88,31.6]]]}""",
        """{"type":"Polygon","coordinates":[[[117.88,31.6],[117.89,31.6],[117.89,31.61],[117.88,31.61]]]}""",
        """{"type":"Polygon","coordinates":[[[200,31.6],[201,31.6],[201,32],[200,31.6]]]}""",
        """{"type":"Polygon","coordinates":[[[117.88,-95],[117.89,-95],[117.89,-94],[117.88,-95]]]}""",
        """{"type":"Polygon","coordinates":[[["117.88","31.6"],[117.89,31.6],[117.89,31.61],[117.88,31.6]]]}""",
        """{"type":"Polygon","coordinates":[[[1e400,31.6],[117.89,31.6],[117.89,31.61],[1e400,31.6]]]}""",
        """{"type":"MultiPolygon","coordinates":[[[[117.88,31.6]]]]}""",
        """{"type":"Point","coordinates":[117.88]}""",
        """{"type":"Point","coordinates":[117.88,31.6,1,2,3]}""",
        """{"type":"Point","coordinates":"117.88,31.6"}""",
        """{"type":"LineString","coordinates":[[117.88,31.6]]}""",
        """{"type":"Circle","coordinates":[117.88,31.6]}""",
        """{"type":"GeometryCollection","geometries":[]}""",
        "null", "{}", "42",
    ];

    private static readonly string[] BadProperties =
    [
        """{"name":"'; DROP TABLE grids; --","households":"abc"}""",
        """{"name":null}""",
        """{"name":42,"kind":"palace"}""",
        """{"name":"x","households":-5}""",
        """{"name":"x","households":1.5}""",
        """{"name":"x","community_id":"1 OR 1=1"}""",
        """{"name":"x","compound_id":-1,"levels":1e400}""",
        """{"name":"x","no_such_property":1}""",
        """{"name":"x","status":"<script>"}""",
        """{"name":"x","floor_area_m2":"NaN"}""",
        """{"name":"x","level":"'; --"}""",
        "[]", "\"x\"",
    ];

    private static readonly string[] BadTilePaths =
    [
        "/tiles/grids/23/0/0.mvt", "/tiles/grids/-1/0/0.mvt", "/tiles/grids/5/32/0.mvt", "/tiles/grids/5/0/32.mvt",
        "/tiles/grids/5/-1/0.mvt", "/tiles/grids/99999999999/0/0.mvt", "/tiles/grids/a/b/c.mvt", "/tiles/grids/1/0/0.png",
        "/tiles/nosuchlayer/10/850/420.mvt", "/tiles/grids,nosuch/10/850/420.mvt", "/tiles/,,,/10/850/420.mvt",
        "/tiles/grids/10/850.mvt", "/tiles/grids/10/850/420/1.mvt", "/tiles/nosuchlayer.json", "/tiles/..%2F..%2Fetc%2Fpasswd.json",
    ];

    /// Every 2,500th request is a body over the service's 20 MB limit.
    public static IEnumerable<HostileRequest> Generate(int count, int seed = 1)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
            yield return i % 2500 == 1249 ? Oversize() : Next(random);
    }

    private static HostileRequest Oversize() =>
        new("oversize-body", HttpMethod.Post, "/collections/grids/items",
            $$$"""{"type":"Feature","properties":{"name":"{{{new string('x', 21 * 1024 * 1024)}}}"}}""");

    private static HostileRequest Next(Random random)
    {
        var layer = Pick(random, Layers);
        var poison = Uri.EscapeDataString(Pick(random, Poison));
        var raw = Pick(random, Poison);
        switch (random.Next(16))
        {
            case 0:
                return new("broken-json", HttpMethod.Post, $"/collections/{layer}/items", Pick(random, BrokenJson));
            case 1:
                return new("bad-geometry", HttpMethod.Post, $"/collections/{layer}/items",
                    $$$"""{"type":"Feature","geometry":{{{Pick(random, BadGeometries)}}},"properties":{"name":"x"}}""");
            case 2:
                return new("bad-properties", HttpMethod.Post, $"/collections/{layer}/items",
                    $$"""{"type":"Feature","geometry":{"type":"Point","coordinates":[117.88,31.6]},"properties":{{Pick(random, BadProperties)}}}""");
            case 3:
                return new("wrong-content-type", HttpMethod.Post, $"/collections/{layer}/items",
                    """{"type":"Feature","geometry":{"type":"Point","coordinates":[117.88,31.6]},"properties":{"name":"x"}}""",
                    Pick(random, ["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "image/png"]));
            case 4:
                return new("enormous-polygon", HttpMethod.Post, $"/collections/{layer}/items", EnormousPolygon(random.Next(2) == 0 ? 20_000 : 200));
            case 5:
                return new("write-without-if-match", Pick(random, [HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete]),
                    $"/collections/{layer}/items/{random.Next(1, 50)}",
                    """{"type":"Feature","geometry":{"type":"Point","coordinates":[117.88,31.6]},"properties":{"name":"x"}}""");
            case 6:
                return new("stale-if-match", Pick(random, [HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete]),
                    $"/collections/{layer}/items/{random.Next(1, 50)}",
                    """{"type":"Feature","properties":{"name":"'; DROP TABLE grids; --"}}""",
                    IfMatch: Pick(random, ["\"999999\"", "W/\"999999\"", "garbage", "\"-5\"", "\"999998\", \"999999\"", "\"" + Ascii(raw) + "\""]));
            case 7:
                return new("bad-id", Pick(random, [HttpMethod.Get, HttpMethod.Delete, HttpMethod.Patch]),
                    $"/collections/{layer}/items/{poison}", IfMatch: "\"1\"");
            case 8:
                return new("bad-query", HttpMethod.Get,
                    $"/collections/{layer}/items?{Pick(random, ["bbox", "limit", "offset", "crs", "bbox-crs", "name", "community", "households", "f", "coords"])}={poison}");
            case 9:
                return new("unknown-layer", HttpMethod.Get, $"/collections/{poison}x/items");
            case 10:
                return new("bad-tile", HttpMethod.Get, Pick(random, BadTilePaths));
            case 11:
                return new("bad-coverage", HttpMethod.Get,
                    $"/coverage?{Pick(random, ["minutes", "speed"])}={poison}");
            case 12:
                return new("bad-nearest", HttpMethod.Get, Pick(random,
                [
                    $"/nearest?lon={poison}&lat=31.6&k=3", $"/nearest?lon=117.88&lat={poison}&k=3",
                    $"/nearest?lon=117.88&lat=31.6&k={poison}", "/nearest?lon=117.88&lat=31.6&k=0",
                    "/nearest?lon=117.88&lat=31.6&k=100000", "/nearest?lon=0&lat=0&k=3", "/nearest?lon=117.88",
                    $"/nearest?compound={poison}", "/nearest?lon=117.88&lat=31.6&speed=-1",
                ]));
            case 13:
                return new("bad-isochrone", HttpMethod.Get, Pick(random,
                [
                    $"/stations/{poison}/isochrone?minutes=5", $"/stations/1/isochrone?minutes={poison}",
                    "/stations/99999999/isochrone?minutes=15", "/stations/1/isochrone?minutes=-5",
                    "/stations/1/isochrone?minutes=100000", $"/stations/1/isochrone?speed={poison}",
                ]));
            case 14:
                return new("bad-split", HttpMethod.Post, Pick(random,
                [
                    $"/communities/{poison}/split", "/communities/99999999/split", "/communities/1/split",
                    $"/proposals/{poison}/apply", "/proposals/00000000-0000-0000-0000-000000000000/apply",
                    $"/grids/{poison}/neighbors",
                ]), Pick(random,
                [
                    """{"min":500,"max":300}""", """{"min":0,"max":500}""", """{"min":-1}""", """{"min":"x"}""",
                    """{"min":300,"max":"'; --"}""", "{", "[]", "null", """{"max":1e400}""",
                ]), "application/json");
            default:
                return new("bad-path", Pick(random, [HttpMethod.Get, HttpMethod.Post, HttpMethod.Delete]), Pick(random,
                [
                    $"/{poison}", $"/collections/{poison}", "/collections/grids/items/1/extra", "/%2e%2e/%2e%2e/etc/passwd",
                    "/collections//items", "/api?f=" + poison, "/conformance?f=" + poison, "/?f=" + poison,
                    $"/grids/{poison}/history",
                ]));
        }
    }

    /// A closed ring with many vertices around the demo city: valid shape, absurd size for one feature.
    private static string EnormousPolygon(int vertices)
    {
        var ring = new StringBuilder();
        for (var i = 0; i <= vertices; i++)
        {
            var angle = 2 * Math.PI * (i % vertices) / vertices;
            if (ring.Length > 0)
                ring.Append(',');
            ring.Append(FormattableString.Invariant($"[{117.88 + 40 * Math.Cos(angle):F6},{31.6 + 40 * Math.Sin(angle):F6}]"));
        }
        return $$$"""{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[{{{ring}}}]]},"properties":{"name":"x","households":"a lot"}}""";
    }

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    /// Header values must be ASCII (HttpClient refuses others before sending anything).
    private static string Ascii(string text) => new(text.Where(c => c is >= ' ' and <= '~').ToArray());
}
