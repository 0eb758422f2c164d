namespace GridMap.Data;

public enum GeometryKind { Polygon, Point, Line }

public enum PropertyType { Text, Integer, Number, Boolean }

/// A property of a layer as clients see it; the column has the same name.
/// ReadOnly properties are derived (households of a grid) and ignored on input.
public sealed record LayerProperty(string Name, PropertyType Type, bool Required = false, bool ReadOnly = false,
    IReadOnlyList<string>? AllowedValues = null)
{
    /// Personal information (PIPL), such as a grid head's phone: masked for anonymous readers, never in tiles.
    public bool Personal { get; init; }

    /// False keeps a property out of the vector tiles, which are public and cached, to keep them small.
    public bool InTiles { get; init; } = true;
}

/// How a layer appears in the vector tiles: from <paramref name="MinZoom"/> to the deepest zoom. Points below
/// ClusterBelowZoom are merged into clusters (a `point_count` attribute); below FilterBelowZoom only rows whose
/// FilterColumn is one of FilterValues are drawn.
public sealed record TileRule(int MinZoom)
{
    public int ClusterBelowZoom { get; init; }

    public int FilterBelowZoom { get; init; }

    public string? FilterColumn { get; init; }

    public IReadOnlyList<string> FilterValues { get; init; } = [];
}

/// One MapLibre layer drawing a collection: its id (`{collection}-{type}`, which the viewer relies on), its
/// place in the draw order (lower first), type, paint and filter as MapLibre style JSON, and whether the
/// viewer opens a popup when it is clicked.
public sealed record StyleLayer(string Id, int Order, string Type, string Paint, string? Filter = null, bool Clickable = false);

/// One line of the viewer's legend: a swatch (fill) or dot of a colour, with Chinese and English text.
public sealed record LegendEntry(string Color, string Shape, string LabelZh, string LabelEn);

/// How the default style and the viewer draw a layer, and whether the viewer shows it at start.
public sealed record LayerStyle(bool VisibleAtStart, IReadOnlyList<StyleLayer> Layers)
{
    public IReadOnlyList<LegendEntry> Legend { get; init; } = [];
}

/// A feature collection backed by one table: collection id = tile layer name = table name.
public sealed record Layer(string Id, string TitleZh, string TitleEn, string Description, GeometryKind Kind,
    IReadOnlyList<LayerProperty> Properties)
{
    public string Title => $"{TitleZh} {TitleEn}";

    public string Table => Id;

    /// Derived layers (coverage, heatmap) are computed by GridMap and read-only through the API.
    public bool Derived { get; init; }

    /// Null when the layer is not in the vector tiles.
    public TileRule? Tiles { get; init; }

    /// Null when the default style does not draw the layer.
    public LayerStyle? Style { get; init; }

    public LayerProperty? FindProperty(string name) => Properties.FirstOrDefault(p => p.Name == name);

    public IEnumerable<LayerProperty> WritableProperties => Properties.Where(p => !p.ReadOnly);
}
