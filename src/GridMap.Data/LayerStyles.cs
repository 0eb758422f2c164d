using GridMap.Regions;

namespace GridMap.Data;

/// How the default style (and so the viewer) draws each layer: MapLibre paint as JSON, draw order, legend.
/// Properties rather than fields, so that the layer fields of Layers.cs can read them whatever the order
/// in which the two files' static fields are initialised.
public static partial class Layers
{
    public const string BackgroundColor = "#efece4";

    private const string GridUnder = "#f4a259", GridWithin = "#6bbf59", GridOver = "#d1495b";
    private const string StationColor = "#c0392b", CameraColor = "#34495e";
    private const string Walk5 = "#1a9850", Walk10 = "#91cf60", Walk15 = "#fee08b", WalkOver = "#d73027";

    private static LayerStyle WaterStyle => new(true, [new("water-fill", 10, "fill", """{ "fill-color": "#a8d1f0" }""")]);

    /// Grids below, within and above GridBounds in three colours (households are whole numbers, so max + 0.5).
    private static LayerStyle GridsStyle => new(true,
    [
        new("grids-fill", 20, "fill", $$"""
            { "fill-color": ["step", ["to-number", ["get", "households"], 0], "{{GridUnder}}", {{GridBounds.MinHouseholds}}, "{{GridWithin}}", {{GridBounds.MaxHouseholds}}.5, "{{GridOver}}"],
              "fill-opacity": 0.4 }
            """, Clickable: true),
        new("grids-line", 70, "line", """{ "line-color": "#5a3d8a", "line-width": 1.5 }"""),
    ])
    {
        Legend =
        [
            new(GridUnder, "fill", $"网格 < {GridBounds.MinHouseholds} 户", $"Grid < {GridBounds.MinHouseholds} households"),
            new(GridWithin, "fill", $"网格 {GridBounds.MinHouseholds}–{GridBounds.MaxHouseholds} 户",
                $"Grid {GridBounds.MinHouseholds}–{GridBounds.MaxHouseholds} households"),
            new(GridOver, "fill", $"网格 > {GridBounds.MaxHouseholds} 户", $"Grid > {GridBounds.MaxHouseholds} households"),
        ],
    };

    /// Walking time in 5-minute classes; a cell no station reaches counts as beyond 15 minutes. The viewer
    /// colours isochrones with the first three legend colours.
    private static LayerStyle HeatmapStyle => new(false,
    [
        new("heatmap-fill", 30, "fill", $$"""
            { "fill-color": ["step", ["to-number", ["coalesce", ["get", "walk_seconds"], 1e9], 1e9],
                "{{Walk5}}", 300.001, "{{Walk10}}", 600.001, "{{Walk15}}", 900.001, "{{WalkOver}}"],
              "fill-opacity": 0.65 }
            """, Clickable: true),
    ])
    {
        Legend =
        [
            new(Walk5, "fill", "步行 ≤ 5 分钟", "Walk ≤ 5 min"),
            new(Walk10, "fill", "步行 ≤ 10 分钟", "Walk ≤ 10 min"),
            new(Walk15, "fill", "步行 ≤ 15 分钟", "Walk ≤ 15 min"),
            new(WalkOver, "fill", "步行 > 15 分钟", "Walk > 15 min"),
        ],
    };

    private static LayerStyle BuildingsStyle => new(true,
        [new("buildings-fill", 40, "fill", """{ "fill-color": "#8f8f8f", "fill-outline-color": "#555" }""", Clickable: true)]);

    private static LayerStyle RoadsStyle => new(true,
    [
        new("roads-line", 50, "line",
            """{ "line-color": "#9a9384", "line-width": ["interpolate", ["linear"], ["zoom"], 12, 0.6, 17, 4] }"""),
    ]);

    private static LayerStyle CompoundsStyle => new(true,
    [
        new("compounds-fill", 60, "fill", """{ "fill-color": "#8d6e63", "fill-opacity": 0.06 }""", Clickable: true),
        new("compounds-line", 61, "line", """{ "line-color": "#8d6e63", "line-width": 1, "line-dasharray": [2, 1] }"""),
    ]);

    private static LayerStyle CommunitiesStyle => new(true,
        [new("communities-line", 80, "line", """{ "line-color": "#1f4e79", "line-width": 2.5 }""")]);

    private static LayerStyle StreetsStyle => new(true,
        [new("streets-line", 90, "line", """{ "line-color": "#111", "line-width": 3.5, "line-dasharray": [3, 2] }""")]);

    private static LayerStyle StationsStyle => new(true,
    [
        new("stations-circle", 100, "circle", $$"""
            { "circle-color": "{{StationColor}}", "circle-radius": 6, "circle-stroke-color": "#fff", "circle-stroke-width": 2 }
            """, Clickable: true),
    ])
    { Legend = [new(StationColor, "dot", "服务站", "Service station")] };

    /// Below the tile rule's cluster zoom cameras come as clusters with a point_count.
    private static LayerStyle CamerasStyle => new(false,
    [
        new("cameras-cluster", 110, "circle", $$"""
            { "circle-color": "{{CameraColor}}", "circle-opacity": 0.7, "circle-radius": ["step", ["get", "point_count"], 8, 10, 12, 50, 18] }
            """, Filter: """["has", "point_count"]"""),
        new("cameras-circle", 111, "circle", $$"""{ "circle-color": "{{CameraColor}}", "circle-radius": 3.5 }""",
            Filter: """["!", ["has", "point_count"]]""", Clickable: true),
    ])
    { Legend = [new(CameraColor, "dot", "摄像头", "Camera")] };
}
