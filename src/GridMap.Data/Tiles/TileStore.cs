using System.Globalization;
using GridMap.Data;
using Npgsql;

namespace GridMap.Data.Tiles;

/// Makes Mapbox Vector Tiles in PostGIS: one ST_AsMVT per layer over ST_TileEnvelope, the layers of a
/// composite tile concatenated (an MVT is a sequence of layers). Geometry is simplified to about a pixel
/// of the tile (4096 units) at the zoom, which ST_AsMVTGeom's grid snapping then finishes.
public sealed class TileStore(NpgsqlDataSource dataSource)
{
    public const int Extent = 4096;
    public const int Buffer = 64;
    private const double WorldMetres = 40075016.685578488;

    /// The tile's bytes; empty when no layer has a feature there.
    public async Task<byte[]> ReadAsync(IReadOnlyList<TileLayer> layers, TileId tile, CancellationToken ct)
    {
        var sql = Sql(layers, tile.Z);
        if (sql is null)
            return [];
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue(tile.Z);
        command.Parameters.AddWithValue(tile.X);
        command.Parameters.AddWithValue(tile.Y);
        return await command.ExecuteScalarAsync(ct) as byte[] ?? [];
    }

    /// One query for the layers shown at zoom z, with $1, $2, $3 = z, x, y; null when none is shown.
    public static string? Sql(IReadOnlyList<TileLayer> layers, int z)
    {
        var parts = layers.Where(l => l.Shows(z)).Select(l => $"({LayerSql(l, z)})").ToList();
        return parts.Count == 0 ? null : $"SELECT {string.Join(" || ", parts)}";
    }

    public static string LayerSql(TileLayer layer, int z)
    {
        var pixel = WorldMetres / (1L << z) / Extent;
        var margin = ((double)Buffer / Extent).ToString("R", CultureInfo.InvariantCulture);
        var envelope = "ST_TileEnvelope($1, $2, $3)";
        var where = $"geom && ST_Transform(ST_TileEnvelope($1, $2, $3, margin => {margin}), 4326)";
        if (layer.LowZoomFilter is not null && z < layer.FilterBelowZoom)
            where += $" AND {layer.LowZoomFilter}";
        if (layer.Kind == GeometryKind.Point && z < layer.ClusterBelowZoom)
        {
            // Thin points into clusters of 1/64 tile: the count, and the first point's id. Cells nest in tiles
            // and only the tile's own points count, so every point is in exactly one cluster of a zoom.
            var cell = (pixel * Extent / 64).ToString("R", CultureInfo.InvariantCulture);
            return $"""
                SELECT COALESCE(ST_AsMVT(t, '{layer.Id}', {Extent}, 'geom', 'id'), ''::bytea) FROM (
                  SELECT min(id) AS id, count(*)::integer AS point_count,
                         ST_AsMVTGeom(ST_Centroid(ST_Collect(g)), {envelope}, {Extent}, {Buffer}, true) AS geom
                  FROM (SELECT id, ST_Transform(geom, 3857) AS g FROM {layer.Table}
                        WHERE geom && ST_Transform({envelope}, 4326)) p
                  WHERE g && {envelope}
                  GROUP BY floor(ST_X(g) / {cell}), floor(ST_Y(g) / {cell})
                ) t WHERE geom IS NOT NULL
                """;
        }
        var geometry = layer.Kind == GeometryKind.Point
            ? "ST_Transform(geom, 3857)"
            : $"ST_Simplify(ST_Transform(geom, 3857), {pixel.ToString("R", CultureInfo.InvariantCulture)}, true)";
        var fields = string.Concat(layer.Fields.Select(f => ", " + f.Select));
        return $"""
            SELECT COALESCE(ST_AsMVT(t, '{layer.Id}', {Extent}, 'geom', 'id'), ''::bytea) FROM (
              SELECT id{fields}, ST_AsMVTGeom({geometry}, {envelope}, {Extent}, {Buffer}, true) AS geom
              FROM {layer.Table} WHERE {where}
            ) t WHERE geom IS NOT NULL
            """;
    }

    /// West, south, east, north of all the layers' data, or null when they are empty.
    public async Task<double[]?> ReadBoundsAsync(IReadOnlyList<TileLayer> layers, CancellationToken ct)
    {
        var union = string.Join(" UNION ALL ", layers.Select(l => $"SELECT ST_Extent(geom)::geometry AS e FROM {l.Table}"));
        await using var command = dataSource.CreateCommand(
            $"SELECT ST_XMin(x), ST_YMin(x), ST_XMax(x), ST_YMax(x) FROM (SELECT ST_Extent(e) AS x FROM ({union}) u) b");
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return reader.IsDBNull(0) ? null : [reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3)];
    }
}
