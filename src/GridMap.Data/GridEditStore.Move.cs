using NetTopologySuite.Geometries;
using Npgsql;

namespace GridMap.Data;

public enum GridMoveOutcome
{
    Done,
    SourceNotFound,
    TargetNotFound,
    SourceStale,
    TargetStale,
    BuildingNotFound,
    CompoundNotFound,
    BuildingNotInSource,
    CompoundNotInSource,
    SourceWouldBeEmpty,
    InvalidGeometry,
}

/// Buildings and whole compounds to move from grid SourceId to grid TargetId, each grid expected at the version
/// its ETag named (<see cref="FeatureStore.AnyVersion"/> for `*`).
public sealed record GridMoveRequest(long SourceId, int SourceVersion, long TargetId, int TargetVersion,
    IReadOnlyList<long> BuildingIds, IReadOnlyList<long> CompoundIds);

/// What happened: on a refusal the unit id at fault or the stale grid's current version; when done, the
/// households moved and the number of polygons of each grid (1 = contiguous).
public sealed record GridMoveResult(GridMoveOutcome Outcome, long? FaultId = null, int CurrentVersion = 0, int Households = 0,
    int SourceParts = 0, int TargetParts = 0);

public sealed partial class GridEditStore
{
    /// Moves the units and their territory (as <see cref="PreviewMoveAsync"/> computes it, for several units at once)
    /// from the source grid to the target grid in one transaction: both grids are locked, their versions checked,
    /// the units checked to lie in the source, both geometries rewritten (households recounted, versions bumped,
    /// one history row each with the context's actor and reason). Nothing is written unless the outcome is Done.
    public async Task<GridMoveResult> MoveAsync(GridMoveRequest move, WriteContext context, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var refused = await LockGridsAsync(connection, move, ct) ?? await CheckUnitsAsync(connection, move, ct);
        if (refused is not null)
            return refused;
        var moved = await ComputeMoveAsync(connection, move, ct);
        if (moved.SourceEmpty)
            return new GridMoveResult(GridMoveOutcome.SourceWouldBeEmpty);
        if (!moved.Valid)
            return new GridMoveResult(GridMoveOutcome.InvalidGeometry);
        await FeatureStore.SetContextAsync(connection, context, ct);
        await using var update = new NpgsqlCommand(
            "UPDATE grids SET geom = CASE id WHEN $1 THEN $3::geometry ELSE $4::geometry END WHERE id IN ($1, $2)", connection);
        update.Parameters.AddWithValue(move.SourceId);
        update.Parameters.AddWithValue(move.TargetId);
        update.Parameters.AddWithValue(moved.Source);
        update.Parameters.AddWithValue(moved.Target);
        await update.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
        return new GridMoveResult(GridMoveOutcome.Done, Households: moved.Households, SourceParts: moved.SourceParts, TargetParts: moved.TargetParts);
    }

    /// Locks both grids (in id order, so two opposite moves cannot deadlock) and checks they exist at the expected versions.
    private static async Task<GridMoveResult?> LockGridsAsync(NpgsqlConnection connection, GridMoveRequest move, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT id, version FROM grids WHERE id IN ($1, $2) ORDER BY id FOR UPDATE", connection);
        command.Parameters.AddWithValue(move.SourceId);
        command.Parameters.AddWithValue(move.TargetId);
        var versions = new Dictionary<long, int>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                versions[reader.GetInt64(0)] = reader.GetInt32(1);
        }
        if (!versions.TryGetValue(move.SourceId, out var source))
            return new GridMoveResult(GridMoveOutcome.SourceNotFound, move.SourceId);
        if (!versions.TryGetValue(move.TargetId, out var target))
            return new GridMoveResult(GridMoveOutcome.TargetNotFound, move.TargetId);
        if (move.SourceVersion != FeatureStore.AnyVersion && move.SourceVersion != source)
            return new GridMoveResult(GridMoveOutcome.SourceStale, move.SourceId, source);
        if (move.TargetVersion != FeatureStore.AnyVersion && move.TargetVersion != target)
            return new GridMoveResult(GridMoveOutcome.TargetStale, move.TargetId, target);
        return null;
    }

    /// Every unit exists (else not found) and lies in the source grid as households are counted: a building by its
    /// point on surface, a compound by one of its buildings (or its own point when it has none).
    private static async Task<GridMoveResult?> CheckUnitsAsync(NpgsqlConnection connection, GridMoveRequest move, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            WITH s AS (SELECT geom FROM grids WHERE id = $1)
            SELECT false, x.id, b.id IS NOT NULL, COALESCE(ST_Intersects(s.geom, ST_PointOnSurface(b.geom)), false)
            FROM unnest($2::bigint[]) x(id) LEFT JOIN buildings b ON b.id = x.id CROSS JOIN s
            UNION ALL
            SELECT true, x.id, c.id IS NOT NULL, COALESCE(
                EXISTS (SELECT 1 FROM buildings b WHERE b.compound_id = c.id AND ST_Intersects(s.geom, ST_PointOnSurface(b.geom)))
                OR (NOT EXISTS (SELECT 1 FROM buildings b WHERE b.compound_id = c.id) AND ST_Intersects(s.geom, ST_PointOnSurface(c.geom))), false)
            FROM unnest($3::bigint[]) x(id) LEFT JOIN compounds c ON c.id = x.id CROSS JOIN s
            """, connection);
        command.Parameters.AddWithValue(move.SourceId);
        command.Parameters.AddWithValue(move.BuildingIds.ToArray());
        command.Parameters.AddWithValue(move.CompoundIds.ToArray());
        var units = new List<(bool Compound, long Id, bool Exists, bool InSource)>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                units.Add((reader.GetBoolean(0), reader.GetInt64(1), reader.GetBoolean(2), reader.GetBoolean(3)));
        }
        if (units.FirstOrDefault(u => !u.Exists) is { Id: > 0 } missing)
            return new GridMoveResult(missing.Compound ? GridMoveOutcome.CompoundNotFound : GridMoveOutcome.BuildingNotFound, missing.Id);
        if (units.FirstOrDefault(u => !u.InSource) is { Id: > 0 } outside)
            return new GridMoveResult(outside.Compound ? GridMoveOutcome.CompoundNotInSource : GridMoveOutcome.BuildingNotInSource, outside.Id);
        return null;
    }

    private sealed record MovedGeometries(int Households, Geometry Source, Geometry Target, bool SourceEmpty, bool Valid,
        int SourceParts, int TargetParts);

    /// The moving units' territory is their Voronoi cells among all units of the source grid plus their footprints,
    /// clipped to the source; the target gains it and the source loses it, so no gap or overlap appears. Snapped to
    /// 1e-7° (1 cm) and made valid, as the preview does.
    private static async Task<MovedGeometries> ComputeMoveAsync(NpgsqlConnection connection, GridMoveRequest move, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            WITH s AS (SELECT geom FROM grids WHERE id = $1),
                 t AS (SELECT geom FROM grids WHERE id = $2),
                 units AS (
                   SELECT ST_PointOnSurface(b.geom) AS p, b.geom AS footprint, b.households,
                          (b.id = ANY($3) OR b.compound_id = ANY($4)) AS moving
                   FROM buildings b, s WHERE b.geom && s.geom AND ST_Intersects(s.geom, ST_PointOnSurface(b.geom))
                   UNION ALL
                   SELECT ST_PointOnSurface(c.geom), c.geom, c.households, c.id = ANY($4)
                   FROM compounds c, s
                   WHERE NOT EXISTS (SELECT 1 FROM buildings b WHERE b.compound_id = c.id)
                     AND c.geom && s.geom AND ST_Intersects(s.geom, ST_PointOnSurface(c.geom))),
                 cells AS (SELECT (ST_Dump(ST_VoronoiPolygons((SELECT ST_Collect(p) FROM units), 0, ST_Envelope(s.geom)))).geom AS cell FROM s),
                 piece AS (
                   SELECT ST_Union(ST_Union(COALESCE((SELECT ST_Union(c.cell) FROM cells c WHERE ST_Intersects(c.cell, u.p)), u.footprint),
                                            u.footprint)) AS geom,
                          COALESCE(sum(u.households), 0)::integer AS households
                   FROM units u WHERE u.moving),
                 snapped AS (
                   SELECT piece.households,
                          ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SnapToGrid(ST_MakeValid(ST_Union(t.geom, ST_Intersection(s.geom, piece.geom))), 1e-7)), 3)) AS target_snapped,
                          ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SnapToGrid(ST_MakeValid(ST_Difference(s.geom, piece.geom)), 1e-7)), 3)) AS source_snapped
                   FROM s, t, piece),
                 -- Through 7-decimal text, as the viewer's PATCH of the preview did: 31.6 stays 31.6 rather than
                 -- 31.599999999999998 from snapping, so untouched edges still meet their neighbours exactly.
                 result AS (
                   SELECT households,
                          ST_SetSRID(ST_GeomFromGeoJSON(ST_AsGeoJSON(target_snapped, 7)), 4326) AS target_geom,
                          ST_SetSRID(ST_GeomFromGeoJSON(ST_AsGeoJSON(source_snapped, 7)), 4326) AS source_geom
                   FROM snapped)
            SELECT households, source_geom, target_geom, ST_IsEmpty(source_geom),
                   ST_IsValid(source_geom) AND ST_IsValid(target_geom) AND NOT ST_IsEmpty(target_geom),
                   ST_NumGeometries(source_geom), ST_NumGeometries(target_geom)
            FROM result
            """, connection);
        command.Parameters.AddWithValue(move.SourceId);
        command.Parameters.AddWithValue(move.TargetId);
        command.Parameters.AddWithValue(move.BuildingIds.ToArray());
        command.Parameters.AddWithValue(move.CompoundIds.ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new MovedGeometries(reader.GetInt32(0), reader.GetFieldValue<Geometry>(1), reader.GetFieldValue<Geometry>(2),
            reader.GetBoolean(3), reader.GetBoolean(4), reader.GetInt32(5), reader.GetInt32(6));
    }
}
