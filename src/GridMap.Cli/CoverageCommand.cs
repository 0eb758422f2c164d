using System.Globalization;
using System.Text.Json;
using GridMap.Operations.Coverage;
using GridMap.Data;

namespace GridMap.Cli;

/// `gridmap coverage [--json] [--minutes 5,10,15] [--speed 1.11]` recomputes coverage (and rewrites the
/// coverage and heatmap layers); `gridmap nearest --lon X --lat Y [--k 3]` or `--compound NAME`.
/// Both print the same JSON as GET /coverage and GET /nearest.
public static class CoverageCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<int> RunCoverageAsync(string[] args, CancellationToken ct)
    {
        var options = new Options(args, "json");
        var json = options.Has("json");
        var minutes = ParseMinutes(options.Get("minutes"));
        var speed = ParseSpeed(options.Get("speed"));
        options.RejectUnknown();
        await using var dataSource = await CliDatabase.OpenAsync(ct);
        var network = await WalkNetworkCache.BuildAndStoreAsync(new CoverageStore(dataSource), new WalkSettings(), version: null, ct);
        CheckNetwork(network);
        var report = CoverageReport.Build(network, minutes, speed);
        if (json)
        {
            Console.WriteLine(report.ToJsonString(Indented));
            return 0;
        }
        var total = report["total"]!;
        Console.WriteLine($"households: {total["households"]}");
        foreach (var m in minutes)
            Console.WriteLine($"within {m,2} min: {total["within"]![m.ToString(CultureInfo.InvariantCulture)]}");
        Console.WriteLine($"compounds with households beyond {minutes.Max()} min: {report["uncovered_compounds"]!.AsArray().Count}");
        return 0;
    }

    public static async Task<int> RunNearestAsync(string[] args, CancellationToken ct)
    {
        var options = new Options(args);
        var compound = options.Get("compound");
        var lonText = options.Get("lon");
        var latText = options.Get("lat");
        var kText = options.Get("k") ?? "3";
        var speed = ParseSpeed(options.Get("speed"));
        options.RejectUnknown();
        if (!CoverageParameters.TryParseK(kText, out var k))
            throw new UsageException($"--k must be an integer from 1 to {CoverageParameters.MaxK}");
        await using var dataSource = await CliDatabase.OpenAsync(ct);
        var store = new CoverageStore(dataSource);
        double lon, lat;
        if (compound is not null)
        {
            var found = await store.FindCompoundAsync(compound, ct) ?? throw new UsageException($"no single compound is named '{compound}'");
            (lon, lat) = (found.Lon, found.Lat);
        }
        else
        {
            if (!double.TryParse(lonText, NumberStyles.Float, CultureInfo.InvariantCulture, out lon) || lon is < -180 or > 180)
                throw new UsageException("--lon must be a longitude from -180 to 180 (or give --compound NAME)");
            if (!double.TryParse(latText, NumberStyles.Float, CultureInfo.InvariantCulture, out lat) || lat is < -90 or > 90)
                throw new UsageException("--lat must be a latitude from -90 to 90");
        }
        var network = WalkNetwork.Build(await store.ReadInputsAsync(ct), new WalkSettings());
        CheckNetwork(network);
        var nearest = network.Nearest(lon, lat, k)
            ?? throw new UsageException($"({lon}, {lat}) is more than {network.Settings.MaxSnapMeters} m from every walkable road");
        Console.WriteLine(NearestReport.Build(network, nearest, speed, await store.FindGridAtAsync(lon, lat, ct)).ToJsonString(Indented));
        return 0;
    }

    private static void CheckNetwork(WalkNetwork network)
    {
        if (network.Graph is null)
            throw new UsageException("there is no walking network: import roads first (gridmap import osm FILE)");
        if (network.StationsOnNetwork == 0)
            throw new UsageException("no station lies on the walking network: add stations first");
    }

    private static IReadOnlyList<int> ParseMinutes(string? text) =>
        CoverageParameters.ParseMinutes(text ?? "", out var error) ?? throw new UsageException($"--{error}");

    private static double ParseSpeed(string? text)
    {
        if (text is null)
            return WalkSettings.DefaultSpeedMps;
        if (!CoverageParameters.TryParseSpeed(text, out var speed))
            throw new UsageException($"--speed is walking speed in m/s, above 0 and at most {CoverageParameters.MaxSpeedMps}");
        return speed;
    }
}
