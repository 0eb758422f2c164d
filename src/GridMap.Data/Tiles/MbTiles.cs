using System.Globalization;
using System.IO.Compression;
using Microsoft.Data.Sqlite;

namespace GridMap.Data.Tiles;

/// MBTiles 1.3 files (SQLite): tiles stored gzipped with TMS rows (y counted from the bottom), and a
/// metadata table. `gridmap tiles seed` writes them; the server serves one with GRIDMAP_MBTILES.
public static class MbTiles
{
    /// Configuration key (and environment variable): path of an MBTiles file to serve instead of PostGIS.
    public const string ConfigKey = "GRIDMAP_MBTILES";

    public static int TmsRow(TileId tile) => (1 << tile.Z) - 1 - tile.Y;

    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(bytes);
        return output.ToArray();
    }

    public static byte[] Gunzip(byte[] bytes)
    {
        if (bytes.Length < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b)
            return bytes;
        using var input = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}

/// Writes one MBTiles file; tiles are committed in batches.
public sealed class MbTilesWriter : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private SqliteTransaction _transaction;
    private int _pending;

    private MbTilesWriter(SqliteConnection connection, SqliteTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public static async Task<MbTilesWriter> CreateAsync(string path, IReadOnlyDictionary<string, string> metadata)
    {
        if (File.Exists(path))
            File.Delete(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
            Directory.CreateDirectory(directory);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = """
                PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
                CREATE TABLE metadata (name text PRIMARY KEY, value text);
                CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob,
                                    PRIMARY KEY (zoom_level, tile_column, tile_row));
                """;
            await create.ExecuteNonQueryAsync();
        }
        var transaction = connection.BeginTransaction();
        foreach (var (name, value) in metadata)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO metadata (name, value) VALUES ($name, $value)";
            insert.Parameters.AddWithValue("$name", name);
            insert.Parameters.AddWithValue("$value", value);
            await insert.ExecuteNonQueryAsync();
        }
        return new MbTilesWriter(connection, transaction);
    }

    /// Adds a tile (plain MVT bytes; gzipped here). Empty tiles are not stored.
    public async Task AddAsync(TileId tile, byte[] bytes)
    {
        if (bytes.Length == 0)
            return;
        await using var insert = _connection.CreateCommand();
        insert.Transaction = _transaction;
        insert.CommandText = "INSERT INTO tiles VALUES ($z, $x, $y, $data)";
        insert.Parameters.AddWithValue("$z", tile.Z);
        insert.Parameters.AddWithValue("$x", tile.X);
        insert.Parameters.AddWithValue("$y", MbTiles.TmsRow(tile));
        insert.Parameters.AddWithValue("$data", MbTiles.Gzip(bytes));
        await insert.ExecuteNonQueryAsync();
        if (++_pending >= 1000)
        {
            await _transaction.CommitAsync();
            _transaction = _connection.BeginTransaction();
            _pending = 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.CommitAsync();
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

/// A seeded MBTiles file the server serves: the layer set named in its metadata ("name"), its zooms.
public sealed class MbTilesReader
{
    private readonly string _connectionString;

    public string Name { get; }
    public int MinZoom { get; }
    public int MaxZoom { get; }

    private MbTilesReader(string connectionString, string name, int minZoom, int maxZoom)
    {
        _connectionString = connectionString;
        Name = name;
        MinZoom = minZoom;
        MaxZoom = maxZoom;
    }

    public static MbTilesReader Open(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"MBTiles file {path} does not exist ({MbTiles.ConfigKey}).", path);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ConnectionString;
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, value FROM metadata";
        var metadata = new Dictionary<string, string>();
        using (var reader = command.ExecuteReader())
            while (reader.Read())
                metadata[reader.GetString(0)] = reader.GetString(1);
        return new MbTilesReader(connectionString, metadata.GetValueOrDefault("name", ""),
            int.Parse(metadata.GetValueOrDefault("minzoom", "0"), CultureInfo.InvariantCulture),
            int.Parse(metadata.GetValueOrDefault("maxzoom", "22"), CultureInfo.InvariantCulture));
    }

    /// The plain MVT bytes of a tile; empty when the file has none there.
    public async Task<byte[]> ReadAsync(TileId tile, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT tile_data FROM tiles WHERE zoom_level = $z AND tile_column = $x AND tile_row = $y";
        command.Parameters.AddWithValue("$z", tile.Z);
        command.Parameters.AddWithValue("$x", tile.X);
        command.Parameters.AddWithValue("$y", MbTiles.TmsRow(tile));
        return await command.ExecuteScalarAsync(ct) is byte[] data ? MbTiles.Gunzip(data) : [];
    }
}
