using System.Globalization;
using System.Text.Json;
using GridMap.Api.Errors;
using GridMap.Data;
using GridMap.Geo;

namespace GridMap.Api.Features;

/// Reading the parts of a features request that a user can get wrong. Each Try method returns null and
/// sets a problem result naming the parameter, header or member at fault.
public static class FeatureRequest
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 10_000;

    private static readonly HashSet<string> ItemsParameters = ["limit", "offset", "bbox", "bbox-crs", "crs", "f", "coords"];

    public static OutputCrs? TryReadOutputCrs(HttpRequest request, out IResult? problem)
    {
        problem = null;
        var text = request.Query["crs"].ToString();
        if (text.Length == 0)
            return OutputCrs.Crs84;
        var crs = OutputCrs.Find(text.Trim('<', '>'));
        if (crs is null)
            problem = Problems.Field("crs", $"crs '{text}' is not supported; use one of {string.Join(", ", OutputCrs.Supported.Select(c => c.Uri))}.");
        return crs;
    }

    /// `coords=gcj02|bd09` on a read returns positions in that offset system (longitude first); it
    /// cannot be combined with another crs.
    public static CoordinateSystem? TryReadOutputCoordinates(HttpRequest request, OutputCrs crs, out IResult? problem)
    {
        problem = null;
        var text = request.Query["coords"].ToString();
        if (text.Length == 0)
            return CoordinateSystem.Wgs84;
        if (!CoordinateConversion.TryParse(text, out var system))
        {
            problem = Problems.Field("coords", $"coords '{text}' is not supported; use wgs84, cgcs2000, gcj02 or bd09.");
            return null;
        }
        if (system is CoordinateSystem.Gcj02 or CoordinateSystem.Bd09 && crs != OutputCrs.Crs84)
        {
            problem = Problems.Field("coords", "coords=gcj02 or bd09 returns longitude/latitude and cannot be combined with crs.");
            return null;
        }
        return system;
    }

    public static FeatureQuery? TryReadQuery(HttpRequest request, Layer layer, out IResult? problem)
    {
        problem = null;
        foreach (var key in request.Query.Keys)
        {
            if (!ItemsParameters.Contains(key) && FilterProperty(layer, key) is null)
            {
                problem = Problems.Field(key, $"'{key}' is not a parameter of /collections/{layer.Id}/items; filters: {string.Join(", ", layer.Properties.Select(p => p.Name))}.");
                return null;
            }
        }
        if (!TryReadFormat(request, out problem))
            return null;
        var limit = DefaultLimit;
        if (request.Query.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxLimit))
        {
            problem = Problems.Field("limit", $"limit must be an integer from 1 to {MaxLimit}.");
            return null;
        }
        var offset = 0;
        if (request.Query.TryGetValue("offset", out var offsetText)
            && !int.TryParse(offsetText, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
        {
            problem = Problems.Field("offset", "offset must be a non-negative integer.");
            return null;
        }
        BoundingBox? bbox = null;
        if (request.Query.TryGetValue("bbox", out var bboxText))
        {
            bbox = TryReadBbox(bboxText.ToString(), request.Query["bbox-crs"].ToString(), out problem);
            if (bbox is null)
                return null;
        }
        else if (request.Query.ContainsKey("bbox-crs"))
        {
            problem = Problems.Field("bbox-crs", "bbox-crs is given without bbox.");
            return null;
        }
        var filters = new Dictionary<string, object>();
        foreach (var (key, value) in request.Query)
        {
            if (ItemsParameters.Contains(key))
                continue;
            var property = FilterProperty(layer, key)!;
            var typed = FeatureReader.ParseFilterValue(property, value.ToString());
            if (typed is null)
            {
                problem = Problems.Field(key, $"{key} must be a {property.Type.ToString().ToLowerInvariant()}.");
                return null;
            }
            filters[property.Name] = typed;
        }
        return new FeatureQuery(bbox, filters, limit, offset);
    }

    /// Only JSON is served at these paths; f=json (or geojson) is accepted for clients that send it.
    public static bool TryReadFormat(HttpRequest request, out IResult? problem)
    {
        problem = null;
        var format = request.Query["f"].ToString();
        if (format is "" or "json" or "geojson" or "application/json" or "application/geo+json")
            return true;
        problem = Problems.Field("f", $"f={format} is not offered; use f=json.");
        return false;
    }

    /// `community=7` filters on community_id, as does `community_id=7`.
    private static LayerProperty? FilterProperty(Layer layer, string key) =>
        layer.FindProperty(key) ?? layer.FindProperty(key + "_id");

    private static BoundingBox? TryReadBbox(string text, string crsText, out IResult? problem)
    {
        problem = null;
        var parts = text.Split(',');
        var numbers = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) || !double.IsFinite(numbers[i]))
            {
                problem = Problems.Field("bbox", "bbox must be four (or six) comma-separated numbers.");
                return null;
            }
        }
        if (numbers.Length == 6)
            numbers = [numbers[0], numbers[1], numbers[3], numbers[4]];
        if (numbers.Length != 4)
        {
            problem = Problems.Field("bbox", "bbox must be four (or six) comma-separated numbers.");
            return null;
        }
        var latitudeFirst = false;
        if (crsText.Length > 0)
        {
            var crs = OutputCrs.Find(crsText.Trim('<', '>'));
            if (crs is null || crs.Srid is not (Srid.Wgs84 or Srid.Cgcs2000))
            {
                problem = Problems.Field("bbox-crs", $"bbox-crs '{crsText}' is not supported; use CRS84, EPSG:4326 or EPSG:4490.");
                return null;
            }
            latitudeFirst = crs.LatitudeFirst;
        }
        var box = latitudeFirst
            ? new BoundingBox(numbers[1], numbers[0], numbers[3], numbers[2])
            : new BoundingBox(numbers[0], numbers[1], numbers[2], numbers[3]);
        if (box.MinLon is < -180 or > 180 || box.MaxLon is < -180 or > 180 || box.MinLat is < -90 or > 90 || box.MaxLat is < -90 or > 90)
        {
            problem = Problems.Field("bbox", "bbox is outside longitude -180..180 / latitude -90..90.");
            return null;
        }
        if (box.MinLon > box.MaxLon || box.MinLat > box.MaxLat)
        {
            problem = Problems.Field("bbox", "bbox minimum is greater than its maximum.");
            return null;
        }
        return box;
    }

    /// The coordinates a body is written in: `coords=` (wgs84, cgcs2000, gcj02, bd09) and Content-Crs.
    public static InputCoordinates? TryReadInputCoordinates(HttpRequest request, out IResult? problem)
    {
        problem = null;
        var system = CoordinateSystem.Wgs84;
        var coords = request.Query["coords"].ToString();
        if (coords.Length > 0 && !CoordinateConversion.TryParse(coords, out system))
        {
            problem = Problems.Field("coords", $"coords '{coords}' is not supported; use wgs84, cgcs2000, gcj02 or bd09.");
            return null;
        }
        var latitudeFirst = false;
        var contentCrs = request.Headers["Content-Crs"].ToString();
        if (contentCrs.Length > 0)
        {
            var crs = OutputCrs.Find(contentCrs.Trim().Trim('<', '>'));
            if (crs is null || crs.Srid is not (Srid.Wgs84 or Srid.Cgcs2000))
            {
                problem = Problems.Field("Content-Crs", $"Content-Crs '{contentCrs}' is not supported; use CRS84, EPSG:4326 or EPSG:4490.");
                return null;
            }
            latitudeFirst = crs.LatitudeFirst;
        }
        return new InputCoordinates(system, latitudeFirst);
    }

    /// Reads a JSON body of at most 20 MB. Kestrel enforces the limit too; this also covers chunked
    /// bodies and the test server.
    public static async Task<(JsonDocument? Document, IResult? Problem)> ReadJsonBodyAsync(HttpRequest request, CancellationToken ct)
    {
        var contentType = request.ContentType ?? "";
        if (!(contentType.StartsWith("application/geo+json", StringComparison.OrdinalIgnoreCase)
              || contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
              || contentType.StartsWith("application/merge-patch+json", StringComparison.OrdinalIgnoreCase)))
            return (null, Problems.Field("Content-Type", $"Content-Type '{contentType}' is not accepted; send application/geo+json.",
                StatusCodes.Status415UnsupportedMediaType));
        if (request.ContentLength > GridMapApplication.MaxRequestBodyBytes)
            return (null, TooLarge());
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > GridMapApplication.MaxRequestBodyBytes)
                return (null, TooLarge());
            buffer.Write(chunk, 0, read);
        }
        try
        {
            return (JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 64 }), null);
        }
        catch (JsonException e)
        {
            return (null, Problems.Field("body", $"The body is not valid JSON: {e.Message}"));
        }
    }

    private static IResult TooLarge() => Problems.Field("body",
        $"The body is larger than {GridMapApplication.MaxRequestBodyBytes / (1024 * 1024)} MB.", StatusCodes.Status413PayloadTooLarge);

    /// If-Match: `"7"`, `W/"7"` or `*`. Missing is 428; a value that is no version of ours can never match (412).
    public static int? TryReadIfMatch(HttpRequest request, out IResult? problem)
    {
        problem = null;
        var text = request.Headers.IfMatch.ToString().Trim();
        if (text.Length == 0)
        {
            problem = Problems.Field("If-Match", "Send If-Match with the ETag you read, so concurrent edits are not lost.",
                StatusCodes.Status428PreconditionRequired);
            return null;
        }
        if (text == "*")
            return FeatureStore.AnyVersion;
        var quoted = text.StartsWith("W/", StringComparison.Ordinal) ? text[2..] : text;
        if (int.TryParse(quoted.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            return version;
        return 0; // never a stored version (they start at 1), so the write answers 412
    }

    public static string ETag(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";
}
