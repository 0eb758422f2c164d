using System.Collections.Immutable;
using GridMap.Data;

namespace GridMap.Data.Tiles;

/// An attribute of a tile layer: its name in the tile (snake_case, as clients rely on), the SQL that gives it,
/// and its TileJSON type (String, Number, Boolean).
public sealed record TileField(string Name, string Type, string? Sql = null)
{
    public string Select => Sql is null ? Name : $"{Sql} AS {Name}";
}

/// One vector tile layer: the table it comes from, its zoom range and its attributes, as Layers declares them.
/// Points below <paramref name="ClusterBelowZoom"/> are merged into clusters (a `point_count` attribute);
/// below <paramref name="FilterBelowZoom"/> only rows matching <paramref name="LowZoomFilter"/> are drawn.
public sealed record TileLayer(string Id, string Description, GeometryKind Kind, int MinZoom, int MaxZoom, IReadOnlyList<TileField> Fields,
    int ClusterBelowZoom = 0, int FilterBelowZoom = 0, string? LowZoomFilter = null)
{
    public string Table => Id;

    public bool Shows(int z) => z >= MinZoom && z <= MaxZoom;
}

/// The tile layers: every layer of Layers with a tile rule, in the same order, with the properties that may
/// be in tiles (never personal ones: tiles are public and cached).
public static class TileLayers
{
    public const int MaxZoom = 22;

    public static readonly ImmutableArray<TileLayer> All = [.. Layers.All.Where(l => l.Tiles is not null).Select(From)];

    private static TileLayer From(Layer layer)
    {
        var rule = layer.Tiles!;
        var fields = layer.Properties.Where(p => p.InTiles && !p.Personal).Select(p => new TileField(p.Name, p.Type switch
        {
            PropertyType.Text => "String",
            PropertyType.Boolean => "Boolean",
            _ => "Number",
        })).ToArray();
        var description = layer.Description;
        string? filter = null;
        if (rule.FilterColumn is { } column && rule.FilterBelowZoom > 0)
        {
            filter = $"{column} IN ({string.Join(", ", rule.FilterValues.Select(v => $"'{v.Replace("'", "''", StringComparison.Ordinal)}'"))})";
            description += $" Below z{rule.FilterBelowZoom} only {column} {string.Join(", ", rule.FilterValues)}.";
        }
        if (rule.ClusterBelowZoom > 0)
            description += $" Clustered below z{rule.ClusterBelowZoom} (point_count).";
        return new TileLayer(layer.Id, description, layer.Kind, rule.MinZoom, MaxZoom, fields, rule.ClusterBelowZoom,
            rule.FilterBelowZoom, filter);
    }

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
