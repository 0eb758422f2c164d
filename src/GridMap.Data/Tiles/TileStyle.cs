using System.Text.Json.Nodes;
using GridMap.Regions;

namespace GridMap.Data.Tiles;

/// The default MapLibre style (GET /styles/default.json), written from the layer declaration: every layer from
/// our own composite tile, no outside URL. No glyphs and no text-field, so it needs no font server (labels
/// belong to the viewer, drawn with local fonts). The viewer draws from it too: its `metadata` carries the
/// layer titles and start visibility, the legend and the grid household bounds, which MapLibre ignores.
public static class TileStyle
{
    public const string SourceId = "gridmap";

    public static JsonObject Default(string baseUrl, double[]? bounds)
    {
        var key = string.Join(',', TileLayers.All.Select(l => l.Id));
        var source = new JsonObject
        {
            ["type"] = "vector",
            ["tiles"] = new JsonArray($"{baseUrl}/tiles/{key}/{{z}}/{{x}}/{{y}}.mvt"),
            ["minzoom"] = TileLayers.All.Min(l => l.MinZoom),
            ["maxzoom"] = TileLayers.MaxZoom,
            ["attribution"] = "GridMap; base map © OpenStreetMap contributors where imported",
        };
        if (bounds is not null)
            source["bounds"] = new JsonArray(bounds.Select(b => (JsonNode)b).ToArray());
        var layers = new JsonArray(new JsonObject
        {
            ["id"] = "background",
            ["type"] = "background",
            ["paint"] = new JsonObject { ["background-color"] = Layers.BackgroundColor },
        });
        foreach (var (layer, styleLayer) in StyleLayers())
            layers.Add(Layer(layer, styleLayer));
        var style = new JsonObject
        {
            ["version"] = 8,
            ["name"] = "GridMap",
            ["metadata"] = Metadata(),
            ["sources"] = new JsonObject { [SourceId] = source },
            ["layers"] = layers,
        };
        if (bounds is not null)
        {
            style["center"] = new JsonArray((bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2);
            style["zoom"] = 13;
        }
        return style;
    }

    /// Every drawn layer's MapLibre layers, bottom to top.
    public static IEnumerable<(Layer Layer, StyleLayer StyleLayer)> StyleLayers() =>
        Layers.All.Where(l => l.Style is not null).SelectMany(l => l.Style!.Layers.Select(s => (l, s))).OrderBy(p => p.s.Order);

    private static JsonObject Layer(Layer layer, StyleLayer styleLayer)
    {
        var json = new JsonObject
        {
            ["id"] = styleLayer.Id,
            ["type"] = styleLayer.Type,
            ["source"] = SourceId,
            ["source-layer"] = layer.Id,
            ["minzoom"] = layer.Tiles!.MinZoom,
        };
        if (styleLayer.Filter is not null)
            json["filter"] = JsonNode.Parse(styleLayer.Filter);
        json["paint"] = JsonNode.Parse(styleLayer.Paint);
        if (styleLayer.Clickable)
            json["metadata"] = new JsonObject { ["gridmap:clickable"] = true };
        return json;
    }

    private static JsonObject Metadata()
    {
        var layers = new JsonArray();
        var legend = new JsonArray();
        foreach (var layer in Layers.All.Where(l => l.Style is not null))
        {
            layers.Add(new JsonObject
            {
                ["id"] = layer.Id,
                ["title"] = new JsonObject { ["zh"] = layer.TitleZh, ["en"] = layer.TitleEn },
                ["visible"] = layer.Style!.VisibleAtStart,
            });
            foreach (var entry in layer.Style.Legend)
            {
                legend.Add(new JsonObject
                {
                    ["layer"] = layer.Id,
                    ["color"] = entry.Color,
                    ["shape"] = entry.Shape,
                    ["label"] = new JsonObject { ["zh"] = entry.LabelZh, ["en"] = entry.LabelEn },
                });
            }
        }
        return new JsonObject
        {
            ["gridmap:layers"] = layers,
            ["gridmap:legend"] = legend,
            ["gridmap:grid_households"] = new JsonObject { ["min"] = GridBounds.MinHouseholds, ["max"] = GridBounds.MaxHouseholds },
        };
    }
}
