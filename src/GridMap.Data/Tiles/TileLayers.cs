using GridMap.Data;

namespace GridMap.Data.Tiles;

/// An attribute of a tile layer: its name in the tile (snake_case, as in DESIGN §8), the SQL that gives it,
/// and its TileJSON type (String, Number, Boolean).
public sealed record TileField(string Name, string Type, string? Sql = null)
{
    public string Select => Sql is null ? Name : $"{Sql} AS {Name}";
}

/// One vector tile layer: the table it comes from, its zoom range and its attributes.
/// Points below <paramref name="ClusterBelowZoom"/> are merged into clusters (a `point_count` attribute);
/// below <paramref name="FilterBelowZoom"/> only rows matching <paramref name="LowZoomFilter"/> are drawn.
public sealed record TileLayer(string Id, string Description, GeometryKind Kind, int MinZoom, int MaxZoom, TileField[] Fields,
    int ClusterBelowZoom = 0, int FilterBelowZoom = 0, string? LowZoomFilter = null)
{
    public string Table => Id;

    public bool Shows(int z) => z >= MinZoom && z <= MaxZoom;
}

/// The tile layers, drawn bottom to top in this order by the default style. Adding a layer is one line.
public static class TileLayers
{
    public const int MaxZoom = 22;

    private static TileField Text(string name) => new(name, "String");

    private static TileField Number(string name) => new(name, "Number");

    private static TileField Flag(string name) => new(name, "Boolean");

    public static readonly TileLayer[] All =
    [
        new("water", "Rivers and lakes (base map).", GeometryKind.Polygon, 6, MaxZoom, [Text("name"), Text("kind")]),
        new("streets", "街道 boundaries.", GeometryKind.Polygon, 8, MaxZoom, [Text("code"), Text("name")]),
        new("communities", "社区 boundaries.", GeometryKind.Polygon, 10, MaxZoom,
            [Text("code"), Text("name"), Number("street_id")]),
        new("roads", "Roads and paths (base map); below z14 only the main roads.", GeometryKind.Line, 10, MaxZoom,
            [Text("name"), Text("highway"), Flag("bridge")], FilterBelowZoom: 14,
            LowZoomFilter: "highway IN ('motorway', 'trunk', 'primary', 'secondary', 'tertiary', 'motorway_link', 'trunk_link', 'primary_link')"),
        new("heatmap", "Walking time to the nearest station, hexagon cells.", GeometryKind.Polygon, 10, MaxZoom,
            [Number("walk_seconds"), Number("households")]),
        new("compounds", "小区 with households.", GeometryKind.Polygon, 12, MaxZoom,
            [Text("name"), Number("community_id"), Number("households"), Flag("households_estimated"), Text("kind")]),
        new("buildings", "楼栋 outlines with households (base map).", GeometryKind.Polygon, 14, MaxZoom,
            [Number("compound_id"), Number("levels"), Number("households"), Flag("households_estimated")]),
        new("coverage", "Walking time of each building to its nearest station.", GeometryKind.Polygon, 14, MaxZoom,
            [Number("building_id"), Number("station_id"), Number("walk_seconds")]),
        // A grid head's phone is personal information (PIPL): never in tiles, which are public and cached.
        new("grids", "网格 with households and grid head.", GeometryKind.Polygon, 11, MaxZoom,
            [Text("code"), Text("name"), Number("community_id"), Text("level"), Text("grid_head"), Number("households")]),
        new("stations", "Service stations.", GeometryKind.Point, 10, MaxZoom,
            [Text("name"), Text("kind"), Number("floor_area_m2")]),
        new("cameras", "Cameras; clustered below z15 (point_count).", GeometryKind.Point, 10, MaxZoom,
            [Text("name"), Text("status")], ClusterBelowZoom: 15),
    ];

    public static TileLayer? Find(string id) => All.FirstOrDefault(l => l.Id == id);

    /// Layers named by `a,b,c`, in that order; null with the reason when one is unknown
    /// (<paramref name="unknownLayer"/> set) or named twice.
    public static IReadOnlyList<TileLayer>? ParseList(string text, out string? error, out bool unknownLayer)
    {
        var list = new List<TileLayer>();
        unknownLayer = false;
        foreach (var id in text.Split(','))
        {
            if (Find(id) is not { } layer)
            {
                error = $"Unknown tile layer '{id}'; layers: {string.Join(", ", All.Select(l => l.Id))}.";
                unknownLayer = true;
                return null;
            }
            if (list.Contains(layer))
            {
                error = $"Layer '{id}' is named twice.";
                return null;
            }
            list.Add(layer);
        }
        error = null;
        return list;
    }
}
