using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace GridMap.Data;

public sealed record StationInput(long Id, string Name, double Lon, double Lat);

/// A residential unit for coverage: a building, or a compound that has no buildings. Position is its
/// point on surface (WGS 84); grid, community and street are the areas holding that point.
public sealed record UnitInput(long? BuildingId, long? CompoundId, int Households, double Lon, double Lat,
    long? GridId, long? CommunityId, long? StreetId);

public sealed record NamedArea(long Id, string Name, int Households);

public sealed record CoverageInputs(
    long Version,
    IReadOnlyList<(long Id, LineString Wgs84)> Roads,
    IReadOnlyList<StationInput> Stations,
    IReadOnlyList<UnitInput> Units,
    IReadOnlyList<NamedArea> Compounds,
    IReadOnlyList<NamedArea> Grids,
    IReadOnlyList<NamedArea> Communities,
    IReadOnlyList<NamedArea> Streets);

public sealed record UnitAreas(
    IReadOnlyList<UnitInput> Units,
    IReadOnlyList<NamedArea> Compounds,
    IReadOnlyList<NamedArea> Grids,
    IReadOnlyList<NamedArea> Communities,
    IReadOnlyList<NamedArea> Streets);

/// UnreachableReason (a name clients rely on) is set when WalkSeconds is null.
public sealed record CoverageRow(long BuildingId, long? StationId, double? WalkSeconds, string? UnreachableReason = null);

public sealed record HeatmapCell(long Id, double? WalkSeconds, int Households, Geometry Wgs84);

/// Reads what walking coverage needs (roads, stations, units and the areas they fall in) and writes the
/// derived coverage and heatmap layers.
public sealed class CoverageStore(NpgsqlDataSource dataSource)
{
    /// Advances on every write to roads, stations, units or areas (a trigger of 002_coverage.sql).
    public async Task<long> ReadInputsVersionAsync(CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("SELECT last_value FROM coverage_inputs_version");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// Everything in one repeatable-read snapshot, so the version matches the rows read.
    public async Task<CoverageInputs> ReadInputsAsync(CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        long version;
        await using (var command = new NpgsqlCommand("SELECT last_value FROM coverage_inputs_version", connection, transaction))
            version = (long)(await command.ExecuteScalarAsync(ct))!;
        var roads = new List<(long, LineString)>();
        await using (var command = new NpgsqlCommand("SELECT id, geom FROM roads ORDER BY id", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                roads.Add((reader.GetInt64(0), reader.GetFieldValue<LineString>(1)));
        }
        var stations = new List<StationInput>();
        await using (var command = new NpgsqlCommand("SELECT id, name, ST_X(geom), ST_Y(geom) FROM stations ORDER BY id", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                stations.Add(new StationInput(reader.GetInt64(0), reader.GetString(1), reader.GetDouble(2), reader.GetDouble(3)));
        }
        var areas = await ReadUnitAreasInAsync(connection, transaction, ct);
        await transaction.CommitAsync(ct);
        return new CoverageInputs(version, roads, stations, areas.Units, areas.Compounds, areas.Grids, areas.Communities, areas.Streets);
    }

    /// The units and the areas they fall in, without roads and stations: what a grid edit changes. Units come
    /// in the same order as in <see cref="ReadInputsAsync"/>, so they line up with a network built from it.
    public async Task<UnitAreas> ReadUnitAreasAsync(CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var areas = await ReadUnitAreasInAsync(connection, transaction, ct);
        await transaction.CommitAsync(ct);
        return areas;
    }

    private static async Task<UnitAreas> ReadUnitAreasInAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var units = new List<UnitInput>();
        await using (var command = new NpgsqlCommand("""
            WITH units AS (
                SELECT b.id AS building_id, b.compound_id, b.households, ST_PointOnSurface(b.geom) AS p FROM buildings b
                UNION ALL
                SELECT NULL, c.id, c.households, ST_PointOnSurface(c.geom) FROM compounds c
                WHERE NOT EXISTS (SELECT 1 FROM buildings b WHERE b.compound_id = c.id))
            SELECT u.building_id, u.compound_id, u.households, ST_X(u.p), ST_Y(u.p),
                   (SELECT g.id FROM grids g WHERE g.geom && u.p AND ST_Intersects(g.geom, u.p)
                    ORDER BY g.level <> 'community', g.id LIMIT 1),
                   cm.id,
                   COALESCE(cm.street_id, (SELECT s.id FROM streets s WHERE s.geom && u.p AND ST_Intersects(s.geom, u.p) ORDER BY s.id LIMIT 1))
            FROM units u
            LEFT JOIN LATERAL (SELECT c.id, c.street_id FROM communities c WHERE c.geom && u.p AND ST_Intersects(c.geom, u.p)
                               ORDER BY c.id LIMIT 1) cm ON true
            ORDER BY u.building_id NULLS LAST, u.compound_id
            """, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                units.Add(new UnitInput(
                    reader.IsDBNull(0) ? null : reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1),
                    reader.GetInt32(2), reader.GetDouble(3), reader.GetDouble(4),
                    reader.IsDBNull(5) ? null : reader.GetInt64(5), reader.IsDBNull(6) ? null : reader.GetInt64(6),
                    reader.IsDBNull(7) ? null : reader.GetInt64(7)));
            }
        }
        var compounds = await ReadAreasAsync(connection, transaction, "SELECT id, name, households FROM compounds ORDER BY id", ct);
        var grids = await ReadAreasAsync(connection, transaction, "SELECT id, name, households FROM grids ORDER BY id", ct);
        var communities = await ReadAreasAsync(connection, transaction, "SELECT id, name, 0 FROM communities ORDER BY id", ct);
        var streets = await ReadAreasAsync(connection, transaction, "SELECT id, name, 0 FROM streets ORDER BY id", ct);
        return new UnitAreas(units, compounds, grids, communities, streets);
    }

    private static async Task<List<NamedArea>> ReadAreasAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql,
        CancellationToken ct)
    {
        var areas = new List<NamedArea>();
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            areas.Add(new NamedArea(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2)));
        return areas;
    }

    /// Serializes rebuilds of the derived layers across instances and the CLI (pg_advisory_xact_lock).
    public const long RebuildLockKey = 0x6772_6964_636f_76; // "gridcov"

    /// The inputs version the coverage and heatmap tables reflect (0 before the first rebuild).
    public async Task<long> ReadLayersVersionAsync(CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("SELECT inputs_version FROM derived_layers_version");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// Brings the coverage and heatmap layers to these rows in one transaction, under the rebuild lock, and
    /// records the inputs version they reflect. Only rows that differ are written (rows are updated in place,
    /// never truncated), so readers see the old or the new set, never an empty layer, and are never blocked;
    /// tile eviction follows only the changed rows.
    public async Task WriteResultsAsync(IReadOnlyList<CoverageRow> coverage, IReadOnlyList<HeatmapCell> heatmap, long inputsVersion,
        CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var prepare = new NpgsqlCommand($"""
            SELECT pg_advisory_xact_lock({RebuildLockKey});
            CREATE TEMP TABLE coverage_load (building_id bigint, station_id bigint, walk_seconds double precision, unreachable_reason text) ON COMMIT DROP;
            CREATE TEMP TABLE heatmap_load (id bigint, walk_seconds double precision, households integer, geom geometry) ON COMMIT DROP;
            """, connection, transaction))
        {
            await prepare.ExecuteNonQueryAsync(ct);
        }
        await CopyCoverageAsync(connection, coverage, ct);
        await CopyHeatmapAsync(connection, heatmap, ct);
        // One command of several statements, so the version is a literal (a long) rather than a parameter.
        await using (var merge = new NpgsqlCommand($"""
            DELETE FROM coverage c WHERE NOT EXISTS (
                SELECT 1 FROM coverage_load l JOIN buildings b ON b.id = l.building_id WHERE l.building_id = c.id);
            INSERT INTO coverage (id, building_id, station_id, walk_seconds, unreachable_reason, geom)
            SELECT b.id, b.id, l.station_id, l.walk_seconds, l.unreachable_reason, b.geom FROM coverage_load l JOIN buildings b ON b.id = l.building_id
            ON CONFLICT (id) DO UPDATE SET station_id = excluded.station_id, walk_seconds = excluded.walk_seconds,
                unreachable_reason = excluded.unreachable_reason, geom = excluded.geom, version = coverage.version + 1, updated_at = now()
            WHERE (coverage.station_id, coverage.walk_seconds, coverage.unreachable_reason, coverage.geom)
                IS DISTINCT FROM (excluded.station_id, excluded.walk_seconds, excluded.unreachable_reason, excluded.geom);
            DELETE FROM heatmap h WHERE NOT EXISTS (SELECT 1 FROM heatmap_load l WHERE l.id = h.id);
            INSERT INTO heatmap (id, walk_seconds, households, geom) SELECT id, walk_seconds, households, geom FROM heatmap_load
            ON CONFLICT (id) DO UPDATE SET walk_seconds = excluded.walk_seconds, households = excluded.households, geom = excluded.geom,
                version = heatmap.version + 1, updated_at = now()
            WHERE (heatmap.walk_seconds, heatmap.households, heatmap.geom) IS DISTINCT FROM (excluded.walk_seconds, excluded.households, excluded.geom);
            UPDATE derived_layers_version SET inputs_version = {inputsVersion}, updated_at = now();
            """, connection, transaction))
        {
            await merge.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
    }

    /// Records that the layers reflect a newer inputs version without rewriting them: a change of areas only
    /// (grids, communities, streets) leaves every building's walk and every heatmap cell as they were.
    public async Task MarkLayersVersionAsync(long inputsVersion, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand(
            $"SELECT pg_advisory_xact_lock({RebuildLockKey}); UPDATE derived_layers_version SET inputs_version = {inputsVersion}, updated_at = now()",
            connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }

    private static async Task CopyCoverageAsync(NpgsqlConnection connection, IReadOnlyList<CoverageRow> coverage, CancellationToken ct)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY coverage_load (building_id, station_id, walk_seconds, unreachable_reason) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in coverage)
        {
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(row.BuildingId, NpgsqlDbType.Bigint, ct);
            await WriteNullableAsync(writer, row.StationId, NpgsqlDbType.Bigint, ct);
            await WriteNullableAsync(writer, row.WalkSeconds, NpgsqlDbType.Double, ct);
            if (row.UnreachableReason is { } reason)
                await writer.WriteAsync(reason, NpgsqlDbType.Text, ct);
            else
                await writer.WriteNullAsync(ct);
        }
        await writer.CompleteAsync(ct);
    }

    private static async Task CopyHeatmapAsync(NpgsqlConnection connection, IReadOnlyList<HeatmapCell> heatmap, CancellationToken ct)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY heatmap_load (id, walk_seconds, households, geom) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var cell in heatmap)
        {
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(cell.Id, NpgsqlDbType.Bigint, ct);
            await WriteNullableAsync(writer, cell.WalkSeconds, NpgsqlDbType.Double, ct);
            await writer.WriteAsync(cell.Households, NpgsqlDbType.Integer, ct);
            var multi = cell.Wgs84 is Polygon p ? new MultiPolygon([p]) { SRID = 4326 } : cell.Wgs84;
            multi.SRID = 4326;
            await writer.WriteAsync(multi, "geometry", ct);
        }
        await writer.CompleteAsync(ct);
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken ct)
        where T : struct
    {
        if (value is { } v)
            await writer.WriteAsync(v, type, ct);
        else
            await writer.WriteNullAsync(ct);
    }

    /// The grid holding a point (community-level grids first), or null.
    public async Task<(long Id, string Name)?> FindGridAtAsync(double lon, double lat, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, name FROM grids WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))
            ORDER BY level <> 'community', id LIMIT 1
            """);
        command.Parameters.AddWithValue(lon);
        command.Parameters.AddWithValue(lat);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetString(1)) : null;
    }

    /// A compound by exact name, else the only one whose name contains the text: its point on surface.
    /// Null when none or several match.
    public async Task<(long Id, string Name, double Lon, double Lat)?> FindCompoundAsync(string name, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("""
            WITH exact AS (SELECT id, name, ST_PointOnSurface(geom) p FROM compounds WHERE name = $1),
                 partial AS (SELECT id, name, ST_PointOnSurface(geom) p FROM compounds WHERE strpos(name, $1) > 0)
            SELECT id, name, ST_X(p), ST_Y(p) FROM exact
            UNION ALL
            SELECT id, name, ST_X(p), ST_Y(p) FROM partial WHERE NOT EXISTS (SELECT 1 FROM exact)
            LIMIT 2
            """);
        command.Parameters.AddWithValue(name);
        var found = new List<(long, string, double, double)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            found.Add((reader.GetInt64(0), reader.GetString(1), reader.GetDouble(2), reader.GetDouble(3)));
        return found.Count == 1 ? found[0] : null;
    }
}
