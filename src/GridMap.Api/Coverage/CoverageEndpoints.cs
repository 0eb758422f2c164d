using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GridMap.Api.Errors;
using GridMap.Data;
using GridMap.Geo;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Geometries;

using GridMap.Operations.Coverage;

namespace GridMap.Api.Coverage;

/// Walking coverage: coverage figures, nearest stations with routes, isochrones.
public static class CoverageEndpoints
{
    /// `GridMap:WalkSpeedMps` (default 1.11), `GridMap:MaxSnapMeters` (300) and `GridMap:HexWidthMeters` (100)
    /// configure the walk; `speed=` still overrides the speed per request.
    public static void AddCoverage(this IServiceCollection services)
    {
        services.AddSingleton<CoverageStore>();
        services.AddSingleton(provider =>
        {
            var configuration = provider.GetRequiredService<IConfiguration>();
            var defaults = new WalkSettings();
            var settings = new WalkSettings(
                configuration.GetValue("GridMap:WalkSpeedMps", defaults.SpeedMps),
                configuration.GetValue("GridMap:MaxSnapMeters", defaults.MaxSnapMeters),
                configuration.GetValue("GridMap:HexWidthMeters", defaults.HexWidthMeters));
            if (!(settings.SpeedMps > 0 && settings.SpeedMps <= CoverageParameters.MaxSpeedMps) || !(settings.MaxSnapMeters > 0) || !(settings.HexWidthMeters >= 10))
                throw new InvalidOperationException($"GridMap walk settings out of range: {settings}.");
            return new WalkNetworkCache(provider.GetRequiredService<CoverageStore>(), provider.GetRequiredService<ILogger<WalkNetworkCache>>())
            {
                Settings = settings,
            };
        });
        services.AddSingleton(provider => CoverageTiming.From(provider.GetRequiredService<IConfiguration>()));
        services.AddHostedService<CoverageRebuildWorker>();
    }

    /// The inputs version (coverage_inputs_version) an answer reflects: on /coverage, /nearest, isochrones
    /// and the pages of the derived collections.
    public const string DataVersionHeader = "GridMap-Data-Version";

    /// The current network for a reader; waits for the very first build at most CoverageFirstBuildWaitSeconds.
    /// A reader never builds: without a network it gets 503 with Retry-After.
    public static async Task<(WalkNetwork? Network, IResult? Problem)> CurrentNetworkAsync(HttpContext context, WalkNetworkCache cache,
        CoverageTiming timing, CancellationToken ct)
    {
        var network = await cache.WaitForCurrentAsync(timing.FirstBuildWait, ct);
        if (network is null)
        {
            context.Response.Headers.RetryAfter = Errors.ErrorHandling.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Walking coverage is not computed yet.",
                detail: "The walking network is still being built; try again after Retry-After seconds."));
        }
        SetDataVersion(context, network.Version);
        return (network, null);
    }

    public static void SetDataVersion(HttpContext context, long version) =>
        context.Response.Headers[DataVersionHeader] = version.ToString(CultureInfo.InvariantCulture);

    public static void MapCoverage(this WebApplication app)
    {
        app.MapGet("/coverage", GetCoverage)
            .WithSummary("Households within 5/10/15 minutes' walk of a station: city, streets, communities, grids; compounds left outside.");
        app.MapGet("/nearest", GetNearest)
            .WithSummary("The k nearest stations by walking time from lon/lat or a compound name, with routes.");
        app.MapGet("/stations/{id}/isochrone", GetIsochrone).RequireRateLimiting(Auth.RateLimits.AnalysisPolicy)
            .WithSummary("Areas reachable on foot from a station within each number of minutes, following the network.");
        app.MapPost("/coverage/rebuild", Rebuild).RequireAuthorization(Auth.ApiKeyAuthentication.AdminPolicy)
            .RequireRateLimiting(Auth.RateLimits.AnalysisPolicy)
            .WithSummary("Rebuild the walking network and the coverage and heatmap layers now (admin); changes are picked up by themselves, so this is rarely needed.");
    }

    private static async Task<Ok<RebuildAnswer>> Rebuild(HttpContext context, WalkNetworkCache cache, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var network = await cache.RebuildAsync(graphChanged: true, version: null, ct);
        SetDataVersion(context, network.Version);
        return TypedResults.Ok(new RebuildAnswer(network.Version, network.Inputs.Roads.Count, network.Inputs.Stations.Count,
            network.Inputs.Units.Count, started.ElapsedMilliseconds));
    }

    public sealed record RebuildAnswer(
        [property: JsonPropertyName("version")] long Version,
        [property: JsonPropertyName("roads")] int Roads,
        [property: JsonPropertyName("stations")] int Stations,
        [property: JsonPropertyName("units")] int Units,
        [property: JsonPropertyName("milliseconds")] long Milliseconds);

    private static async Task<IResult> GetCoverage(HttpRequest request, WalkNetworkCache cache, CoverageTiming timing, CancellationToken ct)
    {
        var minutes = TryReadMinutes(request, out var problem);
        var speed = TryReadSpeed(request, cache.Settings, out var speedProblem);
        if (minutes is null || speed is null)
            return problem ?? speedProblem!;
        var (network, notBuilt) = await CurrentNetworkAsync(request.HttpContext, cache, timing, ct);
        if (network is null)
            return notBuilt!;
        if (NetworkProblem(network) is { } networkProblem)
            return networkProblem;
        return TypedResults.Bytes(network.CoverageReportJson(minutes, speed.Value), "application/json");
    }

    private static async Task<IResult> GetNearest(HttpRequest request, WalkNetworkCache cache, CoverageTiming timing, CoverageStore store,
        CancellationToken ct)
    {
        var speed = TryReadSpeed(request, cache.Settings, out var speedProblem);
        if (speed is null)
            return speedProblem!;
        var k = 3;
        var kText = request.Query["k"].ToString();
        if (kText.Length > 0 && (!int.TryParse(kText, NumberStyles.None, CultureInfo.InvariantCulture, out k) || k < 1 || k > CoverageParameters.MaxK))
            return Problems.Field("k", $"k must be an integer from 1 to {CoverageParameters.MaxK}, not '{kText}'.");
        double lon, lat;
        var compoundName = request.Query["compound"].ToString();
        if (compoundName.Length > 0)
        {
            if (await store.FindCompoundAsync(compoundName, ct) is not { } compound)
                return Problems.Field("compound", $"No single compound is named '{compoundName}'.", StatusCodes.Status404NotFound);
            (lon, lat) = (compound.Lon, compound.Lat);
        }
        else
        {
            if (TryReadCoordinate(request, "lon", -180, 180, out lon) is { } lonProblem)
                return lonProblem;
            if (TryReadCoordinate(request, "lat", -90, 90, out lat) is { } latProblem)
                return latProblem;
        }
        var (network, notBuilt) = await CurrentNetworkAsync(request.HttpContext, cache, timing, ct);
        if (network is null)
            return notBuilt!;
        if (NetworkProblem(network) is { } networkProblem)
            return networkProblem;
        var found = network.Nearest(lon, lat, k);
        if (found is null)
            return Problems.Field(compoundName.Length > 0 ? "compound" : "lon",
                $"({lon}, {lat}) is more than {network.Settings.MaxSnapMeters} m from every walkable road: outside the network's area.",
                StatusCodes.Status422UnprocessableEntity);
        var grid = await store.FindGridAtAsync(lon, lat, ct);
        return TypedResults.Json(NearestReport.Build(network, found, speed.Value, grid));
    }

    private static async Task<IResult> GetIsochrone(string id, HttpRequest request, WalkNetworkCache cache, CoverageTiming timing,
        CancellationToken ct)
    {
        var minutes = TryReadMinutes(request, out var problem);
        var speed = TryReadSpeed(request, cache.Settings, out var speedProblem);
        if (minutes is null || speed is null)
            return problem ?? speedProblem!;
        var (network, notBuilt) = await CurrentNetworkAsync(request.HttpContext, cache, timing, ct);
        if (network is null)
            return notBuilt!;
        var station = long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var stationId)
            ? network.Inputs.Stations.ToList().FindIndex(s => s.Id == stationId)
            : -1;
        if (station < 0)
            return Problems.Field("id", $"There is no station {id}.", StatusCodes.Status404NotFound);
        if (network.Graph is null)
            return Problems.Field("roads", "There is no walking network: import roads first.", StatusCodes.Status422UnprocessableEntity);
        var polygons = network.Isochrones(station, minutes.Select(m => m * 60 * speed.Value).ToList());
        if (polygons is null)
            return Problems.Field("id", $"Station {id} is more than {network.Settings.MaxSnapMeters} m from every walkable road.",
                StatusCodes.Status422UnprocessableEntity);
        var features = new JsonArray();
        for (var i = 0; i < minutes.Count; i++)
        {
            var polygon = polygons[i];
            polygon.SRID = Srid.Wgs84;
            features.Add(new JsonObject
            {
                ["type"] = "Feature",
                ["geometry"] = GeoJson.ToNode(polygon.IsEmpty ? new Polygon(null) { SRID = Srid.Wgs84 } : polygon),
                ["properties"] = new JsonObject
                {
                    ["station_id"] = stationId,
                    ["minutes"] = minutes[i],
                    ["speed_mps"] = speed.Value,
                    ["area_m2"] = Math.Round(network.Graph.Frame.Project(polygon).Area, 0),
                },
            });
        }
        return TypedResults.Json(new JsonObject { ["type"] = "FeatureCollection", ["features"] = features },
            contentType: "application/geo+json");
    }

    private static IResult? NetworkProblem(WalkNetwork network)
    {
        if (network.Graph is null)
            return Problems.Field("roads", "There is no walking network: import roads first (gridmap import osm FILE).",
                StatusCodes.Status422UnprocessableEntity);
        if (network.StationsOnNetwork == 0)
            return Problems.Field("stations", network.Inputs.Stations.Count == 0
                    ? "There are no stations: add stations first."
                    : $"No station lies within {network.Settings.MaxSnapMeters} m of a walkable road.",
                StatusCodes.Status422UnprocessableEntity);
        return null;
    }

    /// `minutes=5,10,15`: distinct whole minutes from 1 to 120, ascending in the answer.
    private static IReadOnlyList<int>? TryReadMinutes(HttpRequest request, out IResult? problem)
    {
        var minutes = CoverageParameters.ParseMinutes(request.Query["minutes"].ToString(), out var error);
        problem = error is null ? null : Problems.Field("minutes", error);
        return minutes;
    }

    private static double? TryReadSpeed(HttpRequest request, WalkSettings settings, out IResult? problem)
    {
        problem = null;
        var text = request.Query["speed"].ToString();
        if (text.Length == 0)
            return settings.SpeedMps;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var speed) || !(speed > 0) || speed > CoverageParameters.MaxSpeedMps)
        {
            problem = Problems.Field("speed", $"speed is walking speed in m/s, above 0 and at most {CoverageParameters.MaxSpeedMps}, not '{text}'.");
            return null;
        }
        return speed;
    }

    private static IResult? TryReadCoordinate(HttpRequest request, string name, double min, double max, out double value)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0)
        {
            value = 0;
            return Problems.Field(name, $"{name} is required (or give compound=NAME).");
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !(value >= min && value <= max))
            return Problems.Field(name, $"{name} must be a number from {min} to {max}, not '{text}'.");
        return null;
    }
}
