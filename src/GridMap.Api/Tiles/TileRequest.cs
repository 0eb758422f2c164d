using System.Globalization;
using GridMap.Api.Errors;

using GridMap.Data.Tiles;

namespace GridMap.Api.Tiles;

/// `/tiles/{layers}/{z}/{x}/{y}.mvt` read and checked: layers is one layer or several joined by commas.
public sealed record TileRequest(IReadOnlyList<TileLayer> Layers, TileId Tile)
{
    public string LayersKey => string.Join(',', Layers.Select(l => l.Id));

    public static bool TryParseLayers(string text, out IReadOnlyList<TileLayer> layers, out IResult? problem)
    {
        var parsed = TileLayers.ParseList(text, out var error, out var unknownLayer);
        layers = parsed ?? [];
        problem = error is null ? null
            : Problems.Field("layer", error, unknownLayer ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest);
        return parsed is not null;
    }

    public static TileRequest? TryParse(string layersText, string zText, string xText, string file, out IResult? problem)
    {
        if (!file.EndsWith(".mvt", StringComparison.Ordinal))
        {
            problem = Problems.Field("format", $"Tiles are served as .mvt, not '{file}'.", StatusCodes.Status404NotFound);
            return null;
        }
        if (!TryParseLayers(layersText, out var layers, out problem))
            return null;
        if (!int.TryParse(zText, NumberStyles.None, CultureInfo.InvariantCulture, out var z) || z > TileLayers.MaxZoom)
        {
            problem = Problems.Field("z", $"z must be a whole number from 0 to {TileLayers.MaxZoom}, not '{zText}'.");
            return null;
        }
        var n = 1 << z;
        if (!int.TryParse(xText, NumberStyles.None, CultureInfo.InvariantCulture, out var x) || x >= n)
        {
            problem = Problems.Field("x", $"x must be a whole number from 0 to {n - 1} at zoom {z}, not '{xText}'.");
            return null;
        }
        var yText = file[..^4];
        if (!int.TryParse(yText, NumberStyles.None, CultureInfo.InvariantCulture, out var y) || y >= n)
        {
            problem = Problems.Field("y", $"y must be a whole number from 0 to {n - 1} at zoom {z}, not '{yText}'.");
            return null;
        }
        return new TileRequest(layers, new TileId(z, x, y));
    }
}
