using System.Globalization;
using GridMap.Data;
using GridMap.Geo;
using GridMap.Operations.Import;

namespace GridMap.Cli;

/// `gridmap import geojson LAYER FILE [--coords wgs84|cgcs2000|gcj02|bd09]` and
/// `gridmap import households FILE --by building|compound` (CSV: code,households).
public static class ImportCommand
{
    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var options = new Options(args, "replace");
        var kind = options.Positional.FirstOrDefault() ?? throw new UsageException("import needs geojson, households or osm");
        switch (kind)
        {
            case "osm":
                return await Osm.OsmImportCommand.RunAsync(options, ct);
            case "geojson":
                {
                    var coordsText = options.Get("coords") ?? "wgs84";
                    options.RejectUnknown();
                    if (options.Positional.Count != 3)
                        throw new UsageException("usage: import geojson LAYER FILE [--coords wgs84|cgcs2000|gcj02|bd09]");
                    if (!CoordinateConversion.TryParse(coordsText, out var system))
                        throw new UsageException($"--coords must be wgs84, cgcs2000, gcj02 or bd09, not '{coordsText}'");
                    var layer = CliDatabase.Layer(options.Positional[1]);
                    await using var dataSource = await CliDatabase.OpenAsync(ct);
                    var count = await GeoJsonFileImport.ImportAsync(dataSource, layer, options.Positional[2], new InputCoordinates(system, false), ct);
                    Console.Error.WriteLine($"imported {count} {layer.Id}");
                    return 0;
                }
            case "households":
                {
                    var by = options.Get("by") ?? throw new UsageException("import households needs --by building or --by compound");
                    options.RejectUnknown();
                    if (options.Positional.Count != 2)
                        throw new UsageException("usage: import households FILE --by building|compound");
                    var layer = by switch
                    {
                        "building" => Layers.Buildings,
                        "compound" => Layers.Compounds,
                        _ => throw new UsageException("--by must be building or compound"),
                    };
                    var counts = ReadHouseholdCsv(options.Positional[1]);
                    await using var dataSource = await CliDatabase.OpenAsync(ct);
                    var unmatched = await new HouseholdStore(dataSource).SetGivenHouseholdsAsync(layer, counts, ct);
                    Console.Error.WriteLine($"set households of {counts.Count - unmatched.Count} {layer.Id}");
                    if (unmatched.Count > 0)
                        Console.Error.WriteLine($"no {by} has these codes: {string.Join(", ", unmatched)}");
                    return unmatched.Count == 0 ? 0 : 1;
                }
            default:
                throw new UsageException($"unknown import kind '{kind}'; use geojson, households or osm");
        }
    }

    /// CSV with a header naming `code` and `households` columns (any order, other columns ignored).
    private static List<(string Code, int Households)> ReadHouseholdCsv(string path)
    {
        if (!File.Exists(path))
            throw new UsageException($"no such file: {path}");
        var lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToList();
        if (lines.Count == 0)
            throw new UsageException($"{path} is empty");
        var header = lines[0].TrimStart('\uFEFF').Split(',').Select(h => h.Trim().ToLowerInvariant()).ToList();
        var codeColumn = header.IndexOf("code");
        var householdsColumn = header.IndexOf("households");
        if (codeColumn < 0 || householdsColumn < 0)
            throw new UsageException($"{path}: the header must name columns code and households");
        var counts = new List<(string, int)>();
        for (var i = 1; i < lines.Count; i++)
        {
            var cells = lines[i].Split(',');
            if (cells.Length <= Math.Max(codeColumn, householdsColumn)
                || !int.TryParse(cells[householdsColumn].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var households))
                throw new UsageException($"{path} line {i + 1}: households must be a non-negative integer");
            counts.Add((cells[codeColumn].Trim(), households));
        }
        return counts;
    }
}
