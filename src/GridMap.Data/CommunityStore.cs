using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;
using NpgsqlTypes;

namespace GridMap.Data;

/// A street or community to write: name, optional code, area in WGS 84.
public sealed record BoundaryArea(string Name, string? Code, Geometry Wgs84);

/// SQL for streets and communities as areas: the ones already there (so an import does not derive them again)
/// and the derived ones an import writes, inside the import's own transaction.
public sealed class CommunityStore(NpgsqlDataSource dataSource)
{
    private static readonly WKBReader EwkbReader = new(NetTopologySuite.NtsGeometryServices.Instance);

    /// Areas of the stored communities; without <paramref name="includeDerived"/>, only the city's own.
    public async Task<IReadOnlyList<Geometry>> ReadCommunityAreasAsync(bool includeDerived, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("SELECT ST_AsEWKB(geom) FROM communities WHERE $1 OR NOT derived ORDER BY id");
        command.Parameters.AddWithValue(includeDerived);
        var list = new List<Geometry>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            list.Add(EwkbReader.Read(reader.GetFieldValue<byte[]>(0)));
        return list;
    }

    /// Writes derived communities and one derived street holding them all (their union, so its communities tile it),
    /// then gives compounds without a community the one holding their point. With <paramref name="replace"/> the
    /// earlier derived streets and communities go first, with the grids drawn in them. Returns (streets, communities) written.
    public static async Task<(int Streets, int Communities)> WriteDerivedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        string streetName, IReadOnlyList<BoundaryArea> communities, bool replace, CancellationToken ct)
    {
        if (replace)
        {
            await ExecuteAsync(connection, transaction, """
                DELETE FROM grids WHERE community_id IN (SELECT id FROM communities WHERE derived);
                DELETE FROM communities WHERE derived;
                DELETE FROM streets WHERE derived;
                """, ct);
        }
        if (communities.Count == 0)
            return (0, 0);
        await ExecuteAsync(connection, transaction,
            "CREATE TEMP TABLE derived_communities (n integer, name text, code text, geom geometry) ON COMMIT DROP", ct);
        await using (var writer = await connection.BeginBinaryImportAsync("COPY derived_communities FROM STDIN (FORMAT BINARY)", ct))
        {
            var wkb = new WKBWriter(ByteOrder.LittleEndian, handleSRID: true, emitZ: false, emitM: false);
            for (var i = 0; i < communities.Count; i++)
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(i, NpgsqlDbType.Integer, ct);
                await writer.WriteAsync(communities[i].Name, NpgsqlDbType.Text, ct);
                if (communities[i].Code is { } code)
                    await writer.WriteAsync(code, NpgsqlDbType.Text, ct);
                else
                    await writer.WriteNullAsync(ct);
                var geometry = communities[i].Wgs84.Copy();
                geometry.SRID = 4326;
                await writer.WriteAsync(wkb.Write(geometry), NpgsqlDbType.Bytea, ct);
            }
            await writer.CompleteAsync(ct);
        }
        await using var insert = new NpgsqlCommand("""
            WITH street AS (
                INSERT INTO streets (name, derived, geom)
                SELECT $1, true, ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(geom)), 3)) FROM derived_communities
                RETURNING id),
            inserted AS (
                INSERT INTO communities (code, name, street_id, derived, geom)
                SELECT d.code, d.name, street.id, true, ST_Multi(ST_CollectionExtract(ST_MakeValid(d.geom), 3))
                FROM derived_communities d, street ORDER BY d.n
                RETURNING id)
            SELECT count(*)::integer FROM inserted
            """, connection, transaction);
        insert.Parameters.AddWithValue(streetName);
        var written = (int)(await insert.ExecuteScalarAsync(ct))!;
        await ExecuteAsync(connection, transaction, """
            UPDATE compounds k SET community_id = c.id
            FROM communities c
            WHERE k.community_id IS NULL AND c.geom && k.geom AND ST_Intersects(c.geom, ST_PointOnSurface(k.geom));
            """, ct);
        return (1, written);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }
}
