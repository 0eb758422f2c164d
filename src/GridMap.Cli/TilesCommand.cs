using System.Globalization;
using GridMap.Data;
using GridMap.Data.Tiles;
using GridMap.Operations.Tiles;

namespace GridMap.Cli;

/// `gridmap tiles seed --layers a,b --minzoom N --maxzoom M [--bbox W,S,E,N] [--out tiles/a-b.mbtiles]`:
/// writes an MBTiles file for offline use; serve it with GRIDMAP_MBTILES=FILE gridmap serve.
public static class TilesCommand
{
    public const string Usage = "usage: tiles seed --layers LAYER[,LAYER…] --minzoom N --maxzoom N [--bbox W,S,E,N] [--out FILE.mbtiles]";

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var options = new Options(args);
        if (options.Positional is not ["seed"])
            throw new UsageException(Usage);
        var layersText = options.Get("layers") ?? string.Join(',', TileLayers.All.Select(l => l.Id));
        var minZoom = Zoom(options.Get("minzoom") ?? "0", "minzoom");
        var maxZoom = Zoom(options.Get("maxzoom") ?? throw new UsageException("--maxzoom is needed; " + Usage), "maxzoom");
        var bboxText = options.Get("bbox");
        // tiles/ is where a city keeps its tiles (tiles/README.md); the file is named after its layers.
        var output = options.Get("out") ?? Path.Combine(LocalCluster.FindProjectRoot(), "tiles", $"{layersText.Replace(',', '-')}.mbtiles");
        options.RejectUnknown();
        if (minZoom > maxZoom)
            throw new UsageException("--minzoom must not be above --maxzoom");
        var layers = TileLayers.ParseList(layersText, out var error, out _) ?? throw new UsageException(error!);
        await using var dataSource = await CliDatabase.OpenAsync(ct);
        var store = new TileStore(dataSource);
        var bbox = bboxText is null ? await store.ReadBoundsAsync(layers, ct) : ParseBbox(bboxText);
        if (bbox is null)
        {
            Console.Error.WriteLine($"gridmap: the layers {layersText} have no data; give --bbox");
            return 1;
        }
        var result = await TileSeeder.SeedAsync(store, layers, minZoom, maxZoom, bbox, output, Console.Error, ct);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {output}: {result.Stored} tiles with data of {result.Tiles}, {result.Bytes / 1024} KiB in {result.Time.TotalSeconds:F1} s"));
        return 0;
    }

    private static int Zoom(string text, string name) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var z) && z <= TileLayers.MaxZoom
            ? z
            : throw new UsageException($"--{name} must be a whole number from 0 to {TileLayers.MaxZoom}");

    private static double[] ParseBbox(string text)
    {
        var parts = text.Split(',');
        var values = new double[4];
        if (parts.Length != 4 || !parts.Select((p, i) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])).All(ok => ok)
            || values[0] >= values[2] || values[1] >= values[3] || values[0] < -180 || values[2] > 180 || values[1] < -90 || values[3] > 90)
            throw new UsageException("--bbox must be W,S,E,N in degrees with W < E and S < N");
        return values;
    }
}
