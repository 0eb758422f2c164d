using System.Collections.Immutable;
using GridMap.Regions;

namespace GridMap.Data;

/// The one declaration of GridMap's layers (the collection names clients rely on): titles, table, geometry, properties, tile
/// zooms and style. The OGC collections, the OpenAPI document, the vector tiles, the default style and the
/// viewer (through the style) all read it. Colours are the viewer's look as of issue 13.
public static partial class Layers
{
    private static LayerProperty Text(string name, bool required = false, IReadOnlyList<string>? allowed = null, bool tiles = true,
        bool readOnly = false) =>
        new(name, PropertyType.Text, required, readOnly, allowed) { InTiles = tiles };

    private static LayerProperty Integer(string name, bool required = false, bool readOnly = false, bool tiles = true) =>
        new(name, PropertyType.Integer, required, readOnly) { InTiles = tiles };

    private static LayerProperty Number(string name, bool readOnly = false, bool tiles = true) =>
        new(name, PropertyType.Number, ReadOnly: readOnly) { InTiles = tiles };

    private static LayerProperty Boolean(string name) => new(name, PropertyType.Boolean);

    public static readonly Layer Streets = new("streets", "街道", "Streets",
        "Sub-districts (街道), each made of communities.", GeometryKind.Polygon,
        [Text("code"), Text("name", required: true), Boolean("derived")])
    { Tiles = new(8), Style = StreetsStyle };

    public static readonly Layer Communities = new("communities", "社区", "Communities",
        "Communities (社区); each belongs to one street.", GeometryKind.Polygon,
        [Text("code"), Text("name", required: true), Integer("street_id"), Boolean("derived")])
    { Tiles = new(10), Style = CommunitiesStyle };

    public static readonly Layer Grids = new("grids", "网格", "Grids",
        $"Grids of {GridBounds.MinHouseholds}–{GridBounds.MaxHouseholds} households; households are derived from the units inside.",
        GeometryKind.Polygon,
        [Text("code"), Text("name", required: true), Integer("community_id"),
         Text("level", allowed: ["community", "compound", "building", "zone"]),
         Text("grid_head"), new("grid_head_phone", PropertyType.Text) { Personal = true, InTiles = false },
         Integer("households", readOnly: true)])
    { Tiles = new(11), Style = GridsStyle };

    public static readonly Layer Compounds = new("compounds", "小区", "Residential compounds",
        "Residential compounds with household counts (given by the city, or estimated).", GeometryKind.Polygon,
        [Text("code", tiles: false), Text("name", required: true), Integer("community_id"), Integer("households"),
         Boolean("households_estimated"), Integer("population", tiles: false),
         Text("kind"), Text("property_company", tiles: false)])
    { Tiles = new(12), Style = CompoundsStyle };

    public static readonly Layer Buildings = new("buildings", "楼栋", "Buildings",
        "Residential buildings with levels and households.", GeometryKind.Polygon,
        [Text("code", tiles: false), Integer("compound_id"), Integer("levels"), Integer("households"),
         Boolean("households_estimated")])
    { Tiles = new(14), Style = BuildingsStyle };

    public static readonly Layer Stations = new("stations", "服务站", "Service stations",
        "Party and public service centres, stations and 驿站.", GeometryKind.Point,
        [Text("name", required: true), Text("kind", allowed: ["center", "station", "yizhan"]),
         Number("floor_area_m2"), Text("opening_hours", tiles: false)])
    { Tiles = new(10), Style = StationsStyle };

    public static readonly Layer Cameras = new("cameras", "摄像头", "Cameras",
        "Video cameras with stream URL and status.", GeometryKind.Point,
        [Text("name", required: true), Text("stream_url", tiles: false), Text("status", allowed: ["online", "offline", "fault"]),
         Text("department", tiles: false), Number("heading", tiles: false), Number("fov", tiles: false)])
    { Tiles = new(10) { ClusterBelowZoom = 15 }, Style = CamerasStyle };

    public static readonly Layer Roads = new("roads", "道路", "Walking network",
        "Walkable roads and paths; length in metres.", GeometryKind.Line,
        [Text("name"), Text("highway"), Boolean("bridge"), Number("length_m", readOnly: true, tiles: false)])
    {
        Tiles = new(10)
        {
            FilterBelowZoom = 14,
            FilterColumn = "highway",
            FilterValues = ["motorway", "trunk", "primary", "secondary", "tertiary", "motorway_link", "trunk_link", "primary_link"],
        },
        Style = RoadsStyle,
    };

    public static readonly Layer Water = new("water", "水系", "Water",
        "Rivers and lakes: base map and barriers.", GeometryKind.Polygon,
        [Text("name"), Text("kind")])
    { Tiles = new(6), Style = WaterStyle };

    public static readonly Layer Coverage = new("coverage", "步行覆盖", "Walking coverage",
        "One feature per building: walking time to the nearest station (derived, read-only).", GeometryKind.Polygon,
        [Integer("building_id", readOnly: true), Integer("station_id", readOnly: true), Number("walk_seconds", readOnly: true),
         Text("unreachable_reason", readOnly: true)])
    { Derived = true, Tiles = new(14) };

    public static readonly Layer Heatmap = new("heatmap", "步行热力", "Walking heatmap",
        "Hexagon cells: walking time to the nearest station and households inside (derived, read-only).", GeometryKind.Polygon,
        [Number("walk_seconds", readOnly: true), Integer("households", readOnly: true)])
    { Derived = true, Tiles = new(10), Style = HeatmapStyle };

    /// In the documented collection order (README): the collections document, the tiles and the viewer's layer list.
    public static readonly ImmutableArray<Layer> All =
        [Streets, Communities, Grids, Compounds, Buildings, Stations, Cameras, Roads, Water, Coverage, Heatmap];

    public static Layer? Find(string id) => All.FirstOrDefault(l => l.Id == id);
}
