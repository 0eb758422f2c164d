using System.Text.Json.Nodes;

using GridMap.Data.Tiles;

namespace GridMap.Api.Tiles;

/// The default MapLibre style: every layer from our own composite tile, no outside URL. No glyphs and no
/// text-field, so it needs no font server (labels belong to the viewer, drawn with local fonts).
public static class TileStyle
{
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
        var style = new JsonObject
        {
            ["version"] = 8,
            ["name"] = "GridMap",
            ["sources"] = new JsonObject { ["gridmap"] = source },
            ["layers"] = new JsonArray(
                new JsonObject { ["id"] = "background", ["type"] = "background", ["paint"] = new JsonObject { ["background-color"] = "#f4f1ea" } },
                Layer("water", "water", "fill", new JsonObject { ["fill-color"] = "#a9cbe8" }),
                Layer("streets", "streets", "line", new JsonObject { ["line-color"] = "#6b4f9e", ["line-width"] = 3, ["line-opacity"] = 0.6 }),
                Layer("communities", "communities", "line", new JsonObject { ["line-color"] = "#8e6fc4", ["line-width"] = 2, ["line-dasharray"] = new JsonArray(3, 2) }),
                Layer("roads", "roads", "line", new JsonObject
                {
                    ["line-color"] = "#ffffff",
                    ["line-width"] = Json("""["match", ["get", "highway"], ["motorway", "trunk", "primary"], 4, ["secondary", "tertiary"], 3, 1.5]"""),
                }),
                Layer("heatmap", "heatmap", "fill", new JsonObject
                {
                    // Green within 5 minutes, yellow at 15, red beyond 20; no time (unreachable) grey.
                    ["fill-color"] = Json("""["case", ["has", "walk_seconds"], ["interpolate", ["linear"], ["get", "walk_seconds"], 300, "#1a9850", 900, "#fee08b", 1200, "#d73027"], "#9e9e9e"]"""),
                    ["fill-opacity"] = 0.35,
                }),
                Layer("compounds", "compounds", "fill", new JsonObject { ["fill-color"] = "#e8dcc8", ["fill-outline-color"] = "#c2a878" }),
                Layer("buildings", "buildings", "fill", new JsonObject { ["fill-color"] = "#d4c4ad", ["fill-outline-color"] = "#a8927a" }),
                Layer("grids-fill", "grids", "fill", new JsonObject
                {
                    // Red under 300 or over 500 households, green inside the band.
                    ["fill-color"] = Json("""["case", ["<", ["get", "households"], 300], "#e4572e", [">", ["get", "households"], 500], "#e4572e", "#4caf50"]"""),
                    ["fill-opacity"] = 0.15,
                }),
                Layer("grids-line", "grids", "line", new JsonObject { ["line-color"] = "#2e7d32", ["line-width"] = 1.5 }),
                Layer("stations", "stations", "circle", new JsonObject
                {
                    ["circle-color"] = Json("""["match", ["get", "kind"], "center", "#c62828", "station", "#ef6c00", "#f9a825"]"""),
                    ["circle-radius"] = 7,
                    ["circle-stroke-color"] = "#ffffff",
                    ["circle-stroke-width"] = 2,
                }),
                Layer("cameras", "cameras", "circle", new JsonObject
                {
                    ["circle-color"] = Json("""["match", ["get", "status"], "offline", "#9e9e9e", "fault", "#d32f2f", "#1565c0"]"""),
                    ["circle-radius"] = Json("""["case", ["has", "point_count"], ["min", 14, ["+", 3, ["sqrt", ["get", "point_count"]]]], 3]"""),
                    ["circle-opacity"] = 0.8,
                })),
        };
        if (bounds is not null)
        {
            style["center"] = new JsonArray((bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2);
            style["zoom"] = 13;
        }
        return style;
    }

    private static JsonObject Layer(string id, string sourceLayer, string type, JsonObject paint) => new()
    {
        ["id"] = id,
        ["type"] = type,
        ["source"] = "gridmap",
        ["source-layer"] = sourceLayer,
        ["minzoom"] = TileLayers.Find(sourceLayer)!.MinZoom,
        ["paint"] = paint,
    };

    private static JsonNode Json(string text) => JsonNode.Parse(text)!;
}
