using GridMap.Osm;
using NetTopologySuite.Geometries;
using Npgsql;

namespace GridMap.Data;

/// Derived: made by an import from blocks (the `derived` property clients rely on), not given by the city.
public sealed record CommunityArea(long Id, string Name, string? Code, long? StreetId, Geometry GeometryWgs84, bool Derived = false);

/// A split unit as stored: a building, or a compound where the community has no buildings. The point is
/// ST_PointOnSurface, the same point grid_households() counts by.
public sealed record StoredUnit(long Id, int Households, Coordinate PointWgs84, long? CompoundId);

public sealed record ProposalGrid(int Index, string Name, int Households, IReadOnlyList<long> UnitIds, Geometry GeometryWgs84);

public enum ApplyStatus { Applied, NotFound, AlreadyApplied }

public sealed record NeighborGrid(long Id, string Name, string? Code, long? CommunityId, double SharedMeters);

/// SQL for grid splits: the inputs (community, units, barriers), proposals, applying them and grid neighbours.
public sealed class SplitStore(NpgsqlDataSource dataSource)
{

    /// By numeric id, else by exact name (the lowest id when names repeat).
    public async Task<CommunityArea?> FindCommunityAsync(string idOrName, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, name, code, street_id, geom, derived FROM communities WHERE id::text = $1 OR name = $1 ORDER BY (id::text = $1) DESC, id LIMIT 1");
        command.Parameters.AddWithValue(idOrName);
        var list = await ReadCommunitiesAsync(command, ct);
        return list.Count == 0 ? null : list[0];
    }

    public async Task<IReadOnlyList<CommunityArea>> ListCommunitiesAsync(long? streetId, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, name, code, street_id, geom, derived FROM communities WHERE $1::bigint IS NULL OR street_id = $1 ORDER BY id");
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Bigint, (object?)streetId ?? DBNull.Value);
        return await ReadCommunitiesAsync(command, ct);
    }

    private static async Task<List<CommunityArea>> ReadCommunitiesAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var list = new List<CommunityArea>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new CommunityArea(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.GetFieldValue<Geometry>(4), reader.GetBoolean(5)));
        }
        return list;
    }

    /// Buildings whose point lies in the community; when there are none, its compounds (kind "compound").
    public async Task<(string Kind, IReadOnlyList<StoredUnit> Units)> LoadUnitsAsync(long communityId, CancellationToken ct = default)
    {
        var buildings = await ReadUnitsAsync("""
            SELECT b.id, b.households, ST_X(p), ST_Y(p), b.compound_id
            FROM communities c, buildings b, LATERAL ST_PointOnSurface(b.geom) p
            WHERE c.id = $1 AND b.geom && c.geom AND ST_Intersects(c.geom, p) ORDER BY b.id
            """, communityId, ct);
        if (buildings.Count > 0)
            return ("building", buildings);
        var compounds = await ReadUnitsAsync("""
            SELECT k.id, k.households, ST_X(p), ST_Y(p), k.id
            FROM communities c, compounds k, LATERAL ST_PointOnSurface(k.geom) p
            WHERE c.id = $1 AND k.geom && c.geom AND ST_Intersects(c.geom, p) ORDER BY k.id
            """, communityId, ct);
        return ("compound", compounds);
    }

    private async Task<List<StoredUnit>> ReadUnitsAsync(string sql, long communityId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue(communityId);
        var list = new List<StoredUnit>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new StoredUnit(reader.GetInt64(0), reader.GetInt32(1), new Coordinate(reader.GetDouble(2), reader.GetDouble(3)),
                reader.IsDBNull(4) ? null : reader.GetInt64(4)));
        }
        return list;
    }

    /// Major roads and water crossing the community, clipped to a box about 100 m around it (so that they
    /// run through its boundary rather than stop at it), in WGS 84.
    public async Task<IReadOnlyList<Geometry>> LoadBarriersAsync(long communityId, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT ST_Intersection(r.geom, ST_Expand(c.geom, 0.001)) FROM communities c JOIN roads r ON r.geom && c.geom AND ST_Intersects(r.geom, c.geom)
            WHERE c.id = $1 AND r.highway = ANY($2) AND NOT r.bridge
            UNION ALL
            SELECT w.geom FROM communities c JOIN water w ON w.geom && c.geom AND ST_Intersects(w.geom, c.geom)
            WHERE c.id = $1
            """);
        command.Parameters.AddWithValue(communityId);
        command.Parameters.AddWithValue(OsmTagRules.BarrierHighways.ToArray());
        var list = new List<Geometry>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            list.Add(reader.GetFieldValue<Geometry>(0));
        return list;
    }

    /// Stores a proposal and its grids; <paramref name="report"/> turns the new id into the JSON kept with it.
    public async Task<long> SaveProposalAsync(long communityId, int minHouseholds, int maxHouseholds, int seed, bool feasible,
        IReadOnlyList<ProposalGrid> grids, Func<long, string> report, string? createdBy, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        long id;
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO split_proposals (community_id, min_households, max_households, seed, feasible, created_by)
            VALUES ($1, $2, $3, $4, $5, $6) RETURNING id
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue(communityId);
            insert.Parameters.AddWithValue(minHouseholds);
            insert.Parameters.AddWithValue(maxHouseholds);
            insert.Parameters.AddWithValue(seed);
            insert.Parameters.AddWithValue(feasible);
            insert.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, (object?)createdBy ?? DBNull.Value);
            id = (long)(await insert.ExecuteScalarAsync(ct))!;
        }
        foreach (var grid in grids)
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO split_proposal_grids (proposal_id, index, name, households, unit_ids, geom)
                VALUES ($1, $2, $3, $4, $5, ST_Multi($6))
                """, connection, transaction);
            command.Parameters.AddWithValue(id);
            command.Parameters.AddWithValue(grid.Index);
            command.Parameters.AddWithValue(grid.Name);
            command.Parameters.AddWithValue(grid.Households);
            command.Parameters.AddWithValue(grid.UnitIds.ToArray());
            grid.GeometryWgs84.SRID = 4326;
            command.Parameters.AddWithValue(grid.GeometryWgs84);
            await command.ExecuteNonQueryAsync(ct);
        }
        await using (var update = new NpgsqlCommand("UPDATE split_proposals SET report = $2::jsonb WHERE id = $1", connection, transaction))
        {
            update.Parameters.AddWithValue(id);
            update.Parameters.AddWithValue(report(id));
            await update.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return id;
    }

    /// The stored report JSON and status, or null.
    public async Task<(string Report, string Status)?> GetProposalAsync(long id, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("SELECT report::text, status FROM split_proposals WHERE id = $1");
        command.Parameters.AddWithValue(id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetString(0), reader.GetString(1)) : null;
    }

    /// Replaces the community's grids by the proposal's, all or nothing. Old grids are deleted (the trigger
    /// keeps them in grid_history with <paramref name="actor"/>); the new grids' households are counted by the
    /// insert trigger.
    public async Task<(ApplyStatus Status, IReadOnlyList<long> GridIds)> ApplyAsync(long proposalId, string actor, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        long communityId;
        await using (var find = new NpgsqlCommand("SELECT community_id, status FROM split_proposals WHERE id = $1 FOR UPDATE", connection, transaction))
        {
            find.Parameters.AddWithValue(proposalId);
            await using var reader = await find.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
                return (ApplyStatus.NotFound, []);
            if (reader.GetString(1) != "open")
                return (ApplyStatus.AlreadyApplied, []);
            communityId = reader.GetInt64(0);
        }
        await using (var settings = new NpgsqlCommand(
            "SELECT set_config('gridmap.actor', $1, true), set_config('gridmap.reason', $2, true)", connection, transaction))
        {
            settings.Parameters.AddWithValue(actor);
            settings.Parameters.AddWithValue($"split proposal {proposalId} applied");
            await settings.ExecuteNonQueryAsync(ct);
        }
        await using (var delete = new NpgsqlCommand("DELETE FROM grids WHERE community_id = $1", connection, transaction))
        {
            delete.Parameters.AddWithValue(communityId);
            await delete.ExecuteNonQueryAsync(ct);
        }
        var ids = new List<long>();
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO grids (code, name, community_id, level, geom)
            SELECT coalesce(c.code, c.id::text) || '-' || lpad((g.index + 1)::text, 2, '0'), g.name, c.id, 'community', g.geom
            FROM split_proposal_grids g JOIN split_proposals p ON p.id = g.proposal_id JOIN communities c ON c.id = p.community_id
            WHERE g.proposal_id = $1 ORDER BY g.index RETURNING id
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue(proposalId);
            await using var reader = await insert.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                ids.Add(reader.GetInt64(0));
        }
        await using (var mark = new NpgsqlCommand("UPDATE split_proposals SET status = 'applied', applied_at = now() WHERE id = $1", connection, transaction))
        {
            mark.Parameters.AddWithValue(proposalId);
            await mark.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return (ApplyStatus.Applied, ids);
    }

    /// Deletes an open proposal; false when there is none with that id.
    public async Task<bool> DiscardAsync(long proposalId, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM split_proposals WHERE id = $1 AND status = 'open'");
        command.Parameters.AddWithValue(proposalId);
        return await command.ExecuteNonQueryAsync(ct) > 0;
    }

    /// Grids sharing a stretch of boundary with the grid (AB岗 partners), or null when the grid does not exist.
    public async Task<IReadOnlyList<NeighborGrid>?> GetNeighborsAsync(long gridId, CancellationToken ct = default)
    {
        await using (var exists = dataSource.CreateCommand("SELECT 1 FROM grids WHERE id = $1"))
        {
            exists.Parameters.AddWithValue(gridId);
            if (await exists.ExecuteScalarAsync(ct) is null)
                return null;
        }
        await using var command = dataSource.CreateCommand("""
            SELECT n.id, n.name, n.code, n.community_id, ST_Length(shared::geography)
            FROM grids g JOIN grids n ON n.geom && g.geom AND n.id <> g.id,
                 LATERAL ST_CollectionExtract(ST_Intersection(ST_Boundary(g.geom), ST_Boundary(n.geom)), 2) shared
            WHERE g.id = $1 AND NOT ST_IsEmpty(shared) AND ST_Length(shared) > 0
            ORDER BY n.id
            """);
        command.Parameters.AddWithValue(gridId);
        var list = new List<NeighborGrid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new NeighborGrid(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.GetDouble(4)));
        }
        return list;
    }
}
