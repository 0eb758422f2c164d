using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

using GridMap.Data.Tiles;

namespace GridMap.Operations.Tiles;

/// Seeds an MBTiles file for offline or intranet use: every tile of the layers inside the box at each zoom,
/// made by the same SQL as the server's tiles (so a seeded tile has the same bytes as a live one).
public static class TileSeeder
{
    public sealed record Result(long Tiles, long Stored, long Bytes, TimeSpan Time);

    public static async Task<Result> SeedAsync(TileStore store, IReadOnlyList<TileLayer> layers, int minZoom, int maxZoom,
        double[] bbox, string path, TextWriter progress, CancellationToken ct)
    {
        var key = string.Join(',', layers.Select(l => l.Id));
        var ranges = Enumerable.Range(minZoom, maxZoom - minZoom + 1)
            .Select(z => TileMath.Range(z, bbox[0], bbox[1], bbox[2], bbox[3], 0)).ToList();
        var total = ranges.Sum(r => r.Count);
        var vectorLayers = new JsonArray(layers.Select(l => (JsonNode)new JsonObject
        {
            ["id"] = l.Id,
            ["description"] = l.Description,
            ["minzoom"] = l.MinZoom,
            ["maxzoom"] = l.MaxZoom,
            ["fields"] = new JsonObject(l.Fields.Select(f => KeyValuePair.Create(f.Name, (JsonNode?)f.Type))),
        }).ToArray());
        var metadata = new Dictionary<string, string>
        {
            ["name"] = key,
            ["format"] = "pbf",
            ["type"] = "overlay",
            ["version"] = "1",
            ["description"] = $"GridMap layers {key}",
            ["minzoom"] = minZoom.ToString(CultureInfo.InvariantCulture),
            ["maxzoom"] = maxZoom.ToString(CultureInfo.InvariantCulture),
            ["bounds"] = string.Join(',', bbox.Select(b => b.ToString("R", CultureInfo.InvariantCulture))),
            ["center"] = string.Create(CultureInfo.InvariantCulture, $"{(bbox[0] + bbox[2]) / 2},{(bbox[1] + bbox[3]) / 2},{minZoom}"),
            ["json"] = new JsonObject { ["vector_layers"] = vectorLayers }.ToJsonString(),
        };
        var clock = Stopwatch.StartNew();
        long done = 0, stored = 0, bytes = 0;
        var lastReport = TimeSpan.Zero;
        await using (var writer = await MbTilesWriter.CreateAsync(path, metadata))
        {
            foreach (var range in ranges)
            {
                foreach (var tile in range.Tiles())
                {
                    var data = await store.ReadAsync(layers, tile, ct);
                    await writer.AddAsync(tile, data);
                    done++;
                    if (data.Length > 0)
                    {
                        stored++;
                        bytes += data.Length;
                    }
                    if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(1) || done == total)
                    {
                        lastReport = clock.Elapsed;
                        progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"seed {key}: z{tile.Z} {done}/{total} tiles ({100.0 * done / total:F0}%), {stored} with data, {bytes / 1024} KiB"));
                    }
                }
            }
        }
        return new Result(done, stored, bytes, clock.Elapsed);
    }
}
