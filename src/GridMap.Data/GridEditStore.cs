using NetTopologySuite.Geometries;
using Npgsql;

namespace GridMap.Data;

/// What the viewer's grid editor reads: a grid's history, and the geometry of a building move.
public sealed partial class GridEditStore(NpgsqlDataSource dataSource)
{
    /// The kept old versions of a grid, newest first (properties as JSON text), or null when the grid neither
    /// exists nor has history. The grid head's phone is masked unless <paramref name="showPersonal"/> (PIPL, as
    /// in the items).
    public async Task<IReadOnlyList<GridVersion>?> ReadHistoryAsync(long gridId, bool showPersonal, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT h.history_id, h.version, h.operation, h.changed_by, h.change_reason, h.changed_at,
                   (CASE WHEN $2 THEN h.old_row - 'version' - 'updated_at'
                         ELSE h.old_row - 'version' - 'updated_at' || jsonb_build_object('grid_head_phone',
                              regexp_replace(h.old_row->>'grid_head_phone', '^(\d{3})\d+(\d{4})$', '\1****\2')) END)::text,
                   h.geom
            FROM grid_history h WHERE h.grid_id = $1 ORDER BY h.history_id DESC
            """);
        command.Parameters.AddWithValue(gridId);
        command.Parameters.AddWithValue(showPersonal);
        var versions = new List<GridVersion>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                versions.Add(new GridVersion(reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.GetFieldValue<DateTimeOffset>(5), reader.GetString(6), reader.GetFieldValue<Geometry>(7)));
            }
        }
        return versions.Count == 0 && !await ExistsAsync("grids", gridId, ct) ? null : versions;
    }

    /// The two grid geometries after moving a building into grid <paramref name="targetGridId"/>. What moves is
    /// the building's territory in its current grid (its Voronoi cell among the grid's buildings, plus its
    /// footprint), so a building on the border leaves both grids contiguous and no gap or overlap appears.
    /// The current grid is the one holding the building's point on surface, as households are counted.
    /// Results are snapped to 1e-7° (1 cm) and made valid again, so the 7-decimal GeoJSON sent back in the
    /// PATCH is still a valid polygon (rounding a Voronoi vertex can otherwise make a ring touch itself).
    /// Nothing is written; the viewer saves both with If-Match.
    public async Task<MovePreview?> PreviewMoveAsync(long targetGridId, long buildingId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            WITH b AS (SELECT id, households, geom, ST_PointOnSurface(geom) AS point FROM buildings WHERE id = $2),
                 t AS (SELECT id, geom FROM grids WHERE id = $1),
                 s AS (SELECT g.id, g.geom FROM grids g, b
                       WHERE g.geom && b.geom AND ST_Intersects(g.geom, b.point)
                       ORDER BY g.id LIMIT 1),
                 cell AS (
                   SELECT ST_Intersection(s.geom, ST_Union(v.geom, b.geom)) AS geom
                   FROM s, b, LATERAL (
                     SELECT (ST_Dump(ST_VoronoiPolygons(ST_Collect(ST_PointOnSurface(x.geom)), 0, ST_Envelope(s.geom)))).geom
                     FROM buildings x WHERE x.geom && s.geom AND ST_Intersects(s.geom, ST_PointOnSurface(x.geom))) v
                   WHERE ST_Intersects(v.geom, b.point)
                   LIMIT 1),
                 piece AS (SELECT COALESCE((SELECT geom FROM cell), (SELECT geom FROM b)) AS geom),
                 moved AS (
                   SELECT b.households, s.id AS source_id,
                          ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SnapToGrid(ST_MakeValid(ST_Union(t.geom, piece.geom)), 1e-7)), 3)) AS target_geom,
                          CASE WHEN s.id IS NULL OR s.id = t.id THEN NULL
                               ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SnapToGrid(ST_MakeValid(ST_Difference(s.geom, piece.geom)), 1e-7)), 3)) END AS source_geom
                   FROM b CROSS JOIN t CROSS JOIN piece LEFT JOIN s ON true)
            SELECT households, source_id,
                   target_geom, ST_NumGeometries(target_geom),
                   CASE WHEN source_geom IS NULL OR ST_IsEmpty(source_geom) THEN NULL ELSE source_geom END,
                   COALESCE(ST_NumGeometries(source_geom), 0),
                   grid_households(target_geom),
                   CASE WHEN source_geom IS NULL OR ST_IsEmpty(source_geom) THEN 0 ELSE grid_households(source_geom) END
            FROM moved
            """);
        command.Parameters.AddWithValue(targetGridId);
        command.Parameters.AddWithValue(buildingId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return null;
        return new MovePreview(buildingId, reader.GetInt32(0), targetGridId,
            reader.IsDBNull(1) ? null : reader.GetInt64(1),
            reader.GetFieldValue<Geometry>(2), reader.GetInt32(3),
            reader.IsDBNull(4) ? null : reader.GetFieldValue<Geometry>(4), reader.GetInt32(5),
            reader.GetInt32(6), reader.GetInt32(7));
    }

    /// Households and validity of a proposed grid boundary (WGS 84), as the grid would count them after saving;
    /// nothing is written. Households are null when the polygon is not valid (a ring that crosses itself), with
    /// PostGIS's reason.
    public async Task<BoundaryPreview> PreviewBoundaryAsync(Geometry boundary, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            WITH g AS (SELECT $1::geometry AS geom)
            SELECT GeometryType(geom), ST_IsValid(geom), ST_IsValidReason(geom),
                   CASE WHEN ST_IsValid(geom) THEN grid_households(geom) END, ST_NumGeometries(geom)
            FROM g
            """);
        command.Parameters.AddWithValue(boundary);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new BoundaryPreview(reader.GetString(0), reader.GetBoolean(1), reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetInt32(3), reader.GetInt32(4));
    }

    public async Task<bool> ExistsAsync(string table, long id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT EXISTS (SELECT 1 FROM {table} WHERE id = $1)");
        command.Parameters.AddWithValue(id);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }
}

/// Geometries in WGS 84; parts = number of polygons (1 = contiguous).
public sealed record MovePreview(long BuildingId, int Households, long TargetGridId, long? SourceGridId,
    Geometry TargetGeometry, int TargetParts, Geometry? SourceGeometry, int SourceParts,
    int TargetHouseholds, int SourceHouseholds);

/// A kept old version of a grid: who changed it when and why, its properties (JSON text) and geometry.
public sealed record GridVersion(long HistoryId, int Version, string Operation, string? ChangedBy, string? ChangeReason,
    DateTimeOffset ChangedAt, string PropertiesJson, Geometry Geometry);

/// A proposed boundary: its PostGIS type, validity (with reason), households when valid, number of polygons.
public sealed record BoundaryPreview(string Type, bool Valid, string Reason, int? Households, int Parts);
