using GridMap.Api.Database;
using GridMap.Api.Tiles;
using GridMap.Data.Tiles;
using GridMap.Operations.Tiles;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

using GridMap.Data;

namespace GridMap.IntegrationTests.Tiles;

/// The service with extra settings (Redis, a seeded MBTiles file) over a test database.
public sealed class TileApiFactory(string connectionString, IReadOnlyDictionary<string, string>? settings = null)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting(DatabaseLocation.ConnectionKey, connectionString);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            builder.UseSetting(key, value);
        builder.UseEnvironment("Development");
    }
}

/// Known fixture data near Haidian, Beijing, and the tiles that hold it.
public static class TileData
{
    public const double Lon = 116.3100, Lat = 39.9800;
    public const double FarLon = 116.5000, FarLat = 39.9000;

    /// Grid 1 "网格A" is a 0.002° square centred on (Lon, Lat); grid 2 "远网格" far away; 3 buildings;
    /// cameras in a 0.01° square around (Lon, Lat).
    public const string Sql = """
        INSERT INTO grids (id, code, name, level, grid_head, grid_head_phone, geom) VALUES
          (1, 'G1', '网格A', 'community', '王五', '13812345678', ST_Multi(ST_MakeEnvelope(116.309, 39.979, 116.311, 39.981, 4326))),
          (2, 'G2', '远网格', 'community', '赵六', '13900000000', ST_Multi(ST_MakeEnvelope(116.499, 39.899, 116.501, 39.901, 4326)));
        INSERT INTO buildings (id, levels, households, households_estimated, geom) VALUES
          (1, 6, 120, false, ST_Multi(ST_MakeEnvelope(116.3095, 39.9795, 116.3098, 39.9798, 4326))),
          (2, 18, 300, false, ST_Multi(ST_MakeEnvelope(116.3102, 39.9802, 116.3105, 39.9805, 4326))),
          (3, 3, 20, true, ST_Multi(ST_MakeEnvelope(116.4995, 39.8995, 116.4998, 39.8998, 4326)));
        INSERT INTO stations (id, name, kind, floor_area_m2, geom) VALUES
          (1, '中关村服务站', 'station', 350, ST_SetSRID(ST_MakePoint(116.3101, 39.9801), 4326));
        INSERT INTO cameras (name, status, geom)
        SELECT 'cam' || i, 'online', ST_SetSRID(ST_MakePoint(116.305 + (i % 50) * 0.0002, 39.975 + (i / 50) * 0.0002), 4326)
        FROM generate_series(0, 2499) i;
        INSERT INTO roads (name, highway, geom) VALUES
          ('成府路', 'primary', ST_MakeLine(ARRAY[ST_MakePoint(116.300, 39.9800), ST_MakePoint(116.3100, 39.9800), ST_MakePoint(116.320, 39.9800)])),
          ('小路', 'footway', ST_MakeLine(ARRAY[ST_MakePoint(116.3100, 39.975), ST_MakePoint(116.3100, 39.9800), ST_MakePoint(116.3100, 39.985)]));
        UPDATE grids SET households = grid_households(geom);
        """;

    public static TileId TileAt(int z, double lon, double lat) => TileMath.Range(z, lon, lat, lon, lat, 0).Tiles().First();

    /// Where (lon, lat) falls inside its tile, in tile units (0..4096).
    public static (double X, double Y) InTile(TileId tile, double lon, double lat)
    {
        var n = 1 << tile.Z;
        var x = (lon + 180) / 360 * n;
        var radians = lat * Math.PI / 180;
        var y = (1 - Math.Log(Math.Tan(radians) + 1 / Math.Cos(radians)) / Math.PI) / 2 * n;
        return ((x - tile.X) * 4096, (y - tile.Y) * 4096);
    }
}
