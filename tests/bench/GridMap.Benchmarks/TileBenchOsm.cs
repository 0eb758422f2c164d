using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GridMap.Osm;
using Npgsql;
using NpgsqlTypes;

namespace GridMap.Benchmarks;

public static partial class TileBench
{
    /// The base map of a real extract for `bench tiles --osm FILE`: walkable roads, buildings and water
    /// polygons as OsmTagRules reads them, read through `osmium export` (apt osmium-tool) as GeoJSON lines.
    private static async Task FillFromOsmAsync(NpgsqlDataSource dataSource, string path)
    {
        var lines = Path.Combine(Path.GetTempPath(), $"gridmap-bench-{Environment.ProcessId}.geojsonseq");
        var start = new ProcessStartInfo("osmium", ["export", path, "-f", "geojsonseq", "-x", "print_record_separator=false",
            "--geometry-types=linestring,polygon", "-O", "-o", lines])
        { RedirectStandardError = true };
        using (var osmium = Process.Start(start) ?? throw new InvalidOperationException("osmium did not start (apt-get install osmium-tool)"))
        {
            var error = await osmium.StandardError.ReadToEndAsync();
            await osmium.WaitForExitAsync();
            if (osmium.ExitCode != 0)
                throw new InvalidOperationException($"osmium export failed: {error}");
        }
        var roads = new Batch("INSERT INTO roads (name, highway, geom) SELECT a, b, ST_GeomFromGeoJSON(g) FROM unnest($1::text[], $2::text[], $3::text[]) AS t(a, b, g)");
        var buildings = new Batch("INSERT INTO buildings (levels, households, geom) SELECT NULLIF(a, '')::integer, 0, ST_Multi(ST_GeomFromGeoJSON(g)) FROM unnest($1::text[], $2::text[], $3::text[]) AS t(a, b, g) WHERE ST_IsValid(ST_GeomFromGeoJSON(g))");
        var water = new Batch("INSERT INTO water (name, kind, geom) SELECT a, b, ST_Multi(ST_GeomFromGeoJSON(g)) FROM unnest($1::text[], $2::text[], $3::text[]) AS t(a, b, g) WHERE ST_IsValid(ST_GeomFromGeoJSON(g))");
        try
        {
            foreach (var line in File.ReadLines(lines))
            {
                using var feature = JsonDocument.Parse(line);
                var geometry = feature.RootElement.GetProperty("geometry");
                var type = geometry.GetProperty("type").GetString();
                var tags = OsmTagRules.TagsOf(feature.RootElement.GetProperty("properties"));
                Batch? target = null;
                string? a = OsmTagRules.Name(tags), b = null;
                if (type == "LineString" && OsmTagRules.IsWalkable(tags))
                    (target, b) = (roads, tags["highway"]);
                else if (type is "Polygon" or "MultiPolygon" && OsmTagRules.BuildingType(tags) is not null)
                {
                    var levels = OsmTagRules.ParseLevels(tags.GetValueOrDefault("building:levels"));
                    (target, a) = (buildings, levels?.ToString(CultureInfo.InvariantCulture) ?? "");
                }
                else if (type is "Polygon" or "MultiPolygon" && OsmTagRules.IsWaterArea(tags))
                    (target, b) = (water, tags.GetValueOrDefault("water") ?? "water");
                if (target is not null)
                    await target.AddAsync(dataSource, a, b, geometry.GetRawText());
            }
            foreach (var batch in new[] { roads, buildings, water })
                await batch.FlushAsync(dataSource);
        }
        finally
        {
            File.Delete(lines);
        }
        await using var analyze = dataSource.CreateCommand("ANALYZE");
        await analyze.ExecuteNonQueryAsync();
    }

    private sealed class Batch(string sql)
    {
        private readonly List<string?> _a = [], _b = [];
        private readonly List<string> _geometry = [];

        public async Task AddAsync(NpgsqlDataSource dataSource, string? a, string? b, string geometry)
        {
            _a.Add(a);
            _b.Add(b);
            _geometry.Add(geometry);
            if (_geometry.Count >= 2000)
                await FlushAsync(dataSource);
        }

        public async Task FlushAsync(NpgsqlDataSource dataSource)
        {
            if (_geometry.Count == 0)
                return;
            await using var command = dataSource.CreateCommand(sql);
            command.Parameters.Add(new NpgsqlParameter { Value = _a.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = _b.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = _geometry.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await command.ExecuteNonQueryAsync();
            _a.Clear();
            _b.Clear();
            _geometry.Clear();
        }
    }
}
