using System.Globalization;
using System.Text;

namespace GridMap.IntegrationTests.Coverage;

/// A small city with known walking answers, drawn in metres in CGCS2000 Gauss–Krüger zone CM 117°E
/// (EPSG:4548, origin near 117.87°E 31.60°N) and stored in WGS 84:
/// - streets on a 6 × 6 lattice of nodes 200 m apart (x, y = 0…1000), plus a 1,200 m spur going east from (1000, 1000);
/// - one 20 m building of 100 households in each of the 25 blocks, at (200i + 100, 200j + 40): 40 m south of
///   the block's lower street; compound 第j排 holds row j; and one building at the spur's end (2150, 1040) in 远郊小区;
/// - station A (id 1) 10 m south of node (0, 0), station B (id 2) 10 m north of node (1000, 1000);
/// - grids 西网格 (x &lt; 400) and 东网格 (x &gt; 400), one community, one street.
/// Building (i, j) walks min(200(i+j) + 150, 1950 − 200(i+j)) metres; the spur building walks 1,200 m to B.
public static class WalkTestCity
{
    public const double OriginX = 583000;
    public const double OriginY = 3497000;
    public const double Speed = 1.11;

    public static string Point(double x, double y) =>
        string.Create(CultureInfo.InvariantCulture, $"ST_Transform(ST_SetSRID(ST_MakePoint({OriginX + x}, {OriginY + y}), 4548), 4326)");

    public static string Box(double x0, double y0, double x1, double y1) =>
        string.Create(CultureInfo.InvariantCulture,
            $"ST_Multi(ST_Transform(ST_MakeEnvelope({OriginX + x0}, {OriginY + y0}, {OriginX + x1}, {OriginY + y1}, 4548), 4326))");

    /// WGS 84 longitude/latitude of a point given in the city's metres.
    public static (double Lon, double Lat) LonLat(double x, double y)
    {
        var point = GridMap.Geo.GaussKruger.Unproject(new NetTopologySuite.Geometries.Point(OriginX + x, OriginY + y) { SRID = 4548 });
        return (point.Coordinate.X, point.Coordinate.Y);
    }

    public static string Sql(bool stations = true)
    {
        var sql = new StringBuilder();
        sql.AppendLine($"INSERT INTO streets (id, name, geom) VALUES (1, '示范街道', {Box(-50, -50, 1050, 1050)});");
        sql.AppendLine($"INSERT INTO communities (id, name, street_id, geom) VALUES (1, '示范社区', 1, {Box(-50, -50, 1050, 1050)});");
        for (var k = 0; k <= 5; k++)
        {
            for (var m = 0; m < 5; m++)
            {
                sql.AppendLine($"INSERT INTO roads (name, geom) VALUES ('横{k}', ST_MakeLine({Point(m * 200, k * 200)}, {Point((m + 1) * 200, k * 200)}));");
                sql.AppendLine($"INSERT INTO roads (name, geom) VALUES ('纵{k}', ST_MakeLine({Point(k * 200, m * 200)}, {Point(k * 200, (m + 1) * 200)}));");
            }
        }
        sql.AppendLine($"INSERT INTO roads (name, geom) VALUES ('东延路', ST_MakeLine({Point(1000, 1000)}, {Point(2200, 1000)}));");
        for (var j = 0; j < 5; j++)
            sql.AppendLine($"INSERT INTO compounds (id, name, community_id, geom) VALUES ({j + 1}, '第{j}排', 1, {Box(0, j * 200 + 10, 1000, j * 200 + 90)});");
        sql.AppendLine($"INSERT INTO compounds (id, name, geom) VALUES (6, '远郊小区', {Box(2100, 1010, 2200, 1090)});");
        var id = 1;
        for (var j = 0; j < 5; j++)
        {
            for (var i = 0; i < 5; i++)
            {
                sql.AppendLine($"INSERT INTO buildings (id, code, compound_id, levels, households, geom) VALUES " +
                               $"({id++}, 'B{i}{j}', {j + 1}, 6, 100, {Box(i * 200 + 90, j * 200 + 30, i * 200 + 110, j * 200 + 50)});");
            }
        }
        sql.AppendLine($"INSERT INTO buildings (id, code, compound_id, levels, households, geom) VALUES (26, 'FAR', 6, 6, 100, {Box(2140, 1030, 2160, 1050)});");
        sql.AppendLine("UPDATE compounds c SET households = (SELECT sum(households) FROM buildings b WHERE b.compound_id = c.id);");
        sql.AppendLine($"INSERT INTO grids (id, code, name, community_id, geom) VALUES (1, 'W', '西网格', 1, {Box(-50, -50, 400, 1050)}), (2, 'E', '东网格', 1, {Box(400, -50, 1050, 1050)});");
        if (stations)
        {
            sql.AppendLine($"INSERT INTO stations (name, kind, geom) VALUES ('甲站', 'center', {Point(0, -10)}), ('乙站', 'station', {Point(1000, 1010)});");
        }
        return sql.ToString();
    }
}
