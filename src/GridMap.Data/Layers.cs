namespace GridMap.Data;

public enum GeometryKind { Polygon, Point, Line }

public enum PropertyType { Text, Integer, Number, Boolean }

/// A property of a layer as clients see it; the column has the same name.
/// ReadOnly properties are derived (households of a grid) and ignored on input.
public sealed record LayerProperty(string Name, PropertyType Type, bool Required = false, bool ReadOnly = false,
    string[]? AllowedValues = null);

/// A feature collection backed by one table: collection id = tile layer name = table name.
public sealed record Layer(string Id, string Title, string Description, GeometryKind Kind, LayerProperty[] Properties)
{
    public string Table => Id;

    /// Derived layers (coverage, heatmap) are computed by GridMap and read-only through the API.
    public bool Derived { get; init; }

    public LayerProperty? FindProperty(string name) => Properties.FirstOrDefault(p => p.Name == name);

    public IEnumerable<LayerProperty> WritableProperties => Properties.Where(p => !p.ReadOnly);
}

/// The collections of DESIGN §8 that are stored as tables.
public static class Layers
{
    private static LayerProperty Text(string name, bool required = false, string[]? allowed = null) =>
        new(name, PropertyType.Text, required, AllowedValues: allowed);

    private static LayerProperty Integer(string name, bool required = false, bool readOnly = false) =>
        new(name, PropertyType.Integer, required, readOnly);

    private static LayerProperty Number(string name) => new(name, PropertyType.Number);

    private static LayerProperty Boolean(string name) => new(name, PropertyType.Boolean);

    public static readonly Layer Streets = new("streets", "街道 Streets",
        "Sub-districts (街道), each made of communities.", GeometryKind.Polygon,
        [Text("code"), Text("name", required: true)]);

    public static readonly Layer Communities = new("communities", "社区 Communities",
        "Communities (社区); each belongs to one street.", GeometryKind.Polygon,
        [Text("code"), Text("name", required: true), Integer("street_id")]);

    public static readonly Layer Grids = new("grids", "网格 Grids",
        "Grids of 300–500 households; households are derived from the units inside.", GeometryKind.Polygon,
        [Text("code"), Text("name", required: true), Integer("community_id"),
         Text("level", allowed: ["community", "compound", "building", "zone"]),
         Text("grid_head"), Text("grid_head_phone"), Integer("households", readOnly: true)]);

    public static readonly Layer Compounds = new("compounds", "小区 Residential compounds",
        "Residential compounds with household counts (given by the city, or estimated).", GeometryKind.Polygon,
        [Text("code"), Text("name", required: true), Integer("community_id"), Integer("households"),
         Boolean("households_estimated"), Integer("population"),
         Text("kind"), Text("property_company")]);

    public static readonly Layer Buildings = new("buildings", "楼栋 Buildings",
        "Residential buildings with levels and households.", GeometryKind.Polygon,
        [Text("code"), Integer("compound_id"), Integer("levels"), Integer("households"),
         Boolean("households_estimated")]);

    public static readonly Layer Stations = new("stations", "服务站 Service stations",
        "Party and public service centres, stations and 驿站.", GeometryKind.Point,
        [Text("name", required: true), Text("kind", allowed: ["center", "station", "yizhan"]),
         Number("floor_area_m2"), Text("opening_hours")]);

    public static readonly Layer Cameras = new("cameras", "摄像头 Cameras",
        "Video cameras with stream URL and status.", GeometryKind.Point,
        [Text("name", required: true), Text("stream_url"), Text("status", allowed: ["online", "offline", "fault"]),
         Text("department"), Number("heading"), Number("fov")]);

    public static readonly Layer Roads = new("roads", "道路 Walking network",
        "Walkable roads and paths; length in metres.", GeometryKind.Line,
        [Text("name"), Text("highway"), Boolean("bridge"), new("length_m", PropertyType.Number, ReadOnly: true)]);

    public static readonly Layer Water = new("water", "水系 Water",
        "Rivers and lakes: base map and barriers.", GeometryKind.Polygon,
        [Text("name"), Text("kind")]);

    public static readonly Layer Coverage = new("coverage", "步行覆盖 Walking coverage",
        "One feature per building: walking time to the nearest station (derived, read-only).", GeometryKind.Polygon,
        [Integer("building_id", readOnly: true), Integer("station_id", readOnly: true),
         new("walk_seconds", PropertyType.Number, ReadOnly: true), new("unreachable_reason", PropertyType.Text, ReadOnly: true)])
    { Derived = true };

    public static readonly Layer Heatmap = new("heatmap", "步行热力 Walking heatmap",
        "Hexagon cells: walking time to the nearest station and households inside (derived, read-only).", GeometryKind.Polygon,
        [new("walk_seconds", PropertyType.Number, ReadOnly: true), Integer("households", readOnly: true)])
    { Derived = true };

    public static readonly Layer[] All = [Streets, Communities, Grids, Compounds, Buildings, Stations, Cameras, Roads, Water, Coverage, Heatmap];

    public static Layer? Find(string id) => All.FirstOrDefault(l => l.Id == id);
}
