using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

using GridMap.Osm;

namespace GridMap.Data;

public sealed record OsmImportCounts(long Roads, double RoadKilometers, long Buildings, long Compounds, long Stations, long Households);

/// Counts are the tables' totals after the import.
/// Writes an OpenStreetMap extract in one transaction with binary COPY: a failure leaves the previous
/// data as it was. Households are estimated as README states: footprint × levels ÷ m² per household.
public sealed class OsmStore(NpgsqlDataSource dataSource)
{
    public const double SquareMetersPerHousehold = 100;

    /// <param name="alsoWrite">More writes in the same transaction after the units (the derived communities).</param>
    public async Task<OsmImportCounts> ImportAsync(IReadOnlyList<OsmRoad> roads, IReadOnlyList<OsmBuilding> buildings,
        IReadOnlyList<OsmArea> compounds, IReadOnlyList<OsmStation> stations, bool replace, CancellationToken ct = default,
        Func<NpgsqlConnection, NpgsqlTransaction, Task>? alsoWrite = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await ExecuteAsync(connection, transaction, replace
            ? "DELETE FROM buildings; DELETE FROM compounds; DELETE FROM stations; DELETE FROM roads;"
            : "SELECT 1", ct);
        await ExecuteAsync(connection, transaction, """
            CREATE TEMP TABLE osm_roads (name text, highway text, bridge boolean, geom geometry) ON COMMIT DROP;
            CREATE TEMP TABLE osm_buildings (osm_id text, type text, levels integer, residential boolean, geom geometry) ON COMMIT DROP;
            CREATE TEMP TABLE osm_compounds (osm_id text, name text, geom geometry) ON COMMIT DROP;
            CREATE TEMP TABLE osm_stations (osm_id text, name text, kind text, geom geometry) ON COMMIT DROP;
            """, ct);
        await using (var writer = await connection.BeginBinaryImportAsync("COPY osm_roads FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var road in roads)
            {
                await writer.StartRowAsync(ct);
                await WriteTextAsync(writer, road.Name, ct);
                await writer.WriteAsync(road.Highway, NpgsqlDbType.Text, ct);
                await writer.WriteAsync(road.Bridge, NpgsqlDbType.Boolean, ct);
                await WriteGeometryAsync(writer, road.Wgs84, ct);
            }
            await writer.CompleteAsync(ct);
        }
        await using (var writer = await connection.BeginBinaryImportAsync("COPY osm_buildings FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var building in buildings)
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(building.OsmId, NpgsqlDbType.Text, ct);
                await writer.WriteAsync(building.Type, NpgsqlDbType.Text, ct);
                await writer.WriteAsync(building.Levels, NpgsqlDbType.Integer, ct);
                await writer.WriteAsync(building.Residential, NpgsqlDbType.Boolean, ct);
                await WriteGeometryAsync(writer, building.Wgs84, ct);
            }
            await writer.CompleteAsync(ct);
        }
        await using (var writer = await connection.BeginBinaryImportAsync("COPY osm_compounds FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var compound in compounds)
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(compound.OsmId, NpgsqlDbType.Text, ct);
                await WriteTextAsync(writer, compound.Name, ct);
                await WriteGeometryAsync(writer, compound.Wgs84, ct);
            }
            await writer.CompleteAsync(ct);
        }
        await using (var writer = await connection.BeginBinaryImportAsync("COPY osm_stations FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var station in stations)
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(station.OsmId, NpgsqlDbType.Text, ct);
                await writer.WriteAsync(station.Name, NpgsqlDbType.Text, ct);
                await writer.WriteAsync(station.Kind, NpgsqlDbType.Text, ct);
                await WriteGeometryAsync(writer, station.Wgs84, ct);
            }
            await writer.CompleteAsync(ct);
        }
        // Invalid OSM rings are repaired; what stays non-polygonal is dropped. A building belongs to the
        // smallest compound holding its point on surface; `building=yes` counts as homes only inside one.
        await ExecuteAsync(connection, transaction, $"""
            INSERT INTO roads (name, highway, bridge, geom)
            SELECT name, highway, bridge, geom FROM osm_roads WHERE GeometryType(geom) = 'LINESTRING' AND ST_Length(geom) > 0;
            INSERT INTO compounds (code, name, households, households_estimated, kind, geom)
            SELECT 'osm:' || osm_id, COALESCE(name, '小区 ' || osm_id), 0, true, 'osm', g
            FROM (SELECT osm_id, name, ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3)) g FROM osm_compounds) c
            WHERE NOT ST_IsEmpty(g);
            INSERT INTO buildings (code, compound_id, levels, households, households_estimated, geom)
            SELECT 'osm:' || b.osm_id, c.id, b.levels,
                   CASE WHEN b.residential AND (b.type <> 'yes' OR c.id IS NOT NULL)
                        THEN GREATEST(1, round(ST_Area(b.g::geography) * b.levels / {SquareMetersPerHousehold.ToString(System.Globalization.CultureInfo.InvariantCulture)}))::integer
                        ELSE 0 END,
                   true, b.g
            FROM (SELECT osm_id, type, levels, residential, ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3)) g FROM osm_buildings) b
            LEFT JOIN LATERAL (SELECT c.id FROM compounds c WHERE c.geom && ST_PointOnSurface(b.g) AND ST_Contains(c.geom, ST_PointOnSurface(b.g))
                               ORDER BY ST_Area(c.geom) LIMIT 1) c ON true
            WHERE NOT ST_IsEmpty(b.g);
            UPDATE compounds c SET households = s.total
            FROM (SELECT compound_id, sum(households)::integer AS total FROM buildings WHERE compound_id IS NOT NULL GROUP BY compound_id) s
            WHERE c.id = s.compound_id AND c.households_estimated AND c.households <> s.total;
            INSERT INTO stations (name, kind, geom)
            SELECT name, kind, CASE WHEN GeometryType(geom) = 'POINT' THEN geom ELSE ST_PointOnSurface(ST_MakeValid(geom)) END
            FROM osm_stations;
            """, ct);
        if (alsoWrite is not null)
            await alsoWrite(connection, transaction);
        await HouseholdStore.RefreshGridHouseholdsAsync(connection, transaction, ct);
        OsmImportCounts counts;
        await using (var command = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM roads), COALESCE((SELECT sum(length_m) FROM roads), 0) / 1000,
                   (SELECT count(*) FROM buildings), (SELECT count(*) FROM compounds), (SELECT count(*) FROM stations),
                   COALESCE((SELECT sum(households) FROM buildings), 0)::bigint
            """, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            counts = new OsmImportCounts(reader.GetInt64(0), reader.GetDouble(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
                reader.GetInt64(5));
        }
        await transaction.CommitAsync(ct);
        return counts;
    }

    private static async Task WriteGeometryAsync(NpgsqlBinaryImporter writer, Geometry geometry, CancellationToken ct)
    {
        geometry.SRID = 4326;
        await writer.WriteAsync(geometry, "geometry", ct);
    }

    private static async Task WriteTextAsync(NpgsqlBinaryImporter writer, string? text, CancellationToken ct)
    {
        if (text is null)
            await writer.WriteNullAsync(ct);
        else
            await writer.WriteAsync(text, NpgsqlDbType.Text, ct);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }
}
