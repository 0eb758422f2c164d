using System.Diagnostics;
using System.Text.Json;
using GridMap.Geo;
using GridMap.Regions;
using NetTopologySuite.Geometries;

namespace GridMap.Osm;

/// A community ready to split: metric geometry, units and barriers.
public sealed record SplitCase(string Dataset, string Name, Geometry Community, List<SplitUnit> Units, List<Geometry> Barriers);

/// Split inputs from an OpenStreetMap extract (via `osmium export`), which has no community boundaries: the
/// blocks enclosed by major roads and rivers become derived communities, buildings the units, households
/// estimated from footprint × levels ÷ 100 m² (DESIGN §3) for residential buildings.
public static class OsmSplitInput
{
    public static List<SplitCase> Load(string path, string dataset)
    {
        var temp = Path.Combine(Path.GetTempPath(), $"gridmap-osm-{Environment.ProcessId}.geojsonseq");
        try
        {
            var export = Process.Start(new ProcessStartInfo("osmium",
                ["export", path, "-f", "geojsonseq", "-x", "print_record_separator=false", "-o", temp, "--overwrite"])
            { RedirectStandardError = true }) ?? throw new OsmInputException("cannot start osmium (apt package osmium-tool)");
            var errors = export.StandardError.ReadToEnd();
            export.WaitForExit();
            if (export.ExitCode != 0)
                throw new OsmInputException($"osmium export failed: {errors.Trim()}");
            return FromFeatures(File.ReadLines(temp), dataset);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static List<SplitCase> FromFeatures(IEnumerable<string> lines, string dataset)
    {
        var buildings = new List<(Geometry Footprint, int Households)>();
        var barriers = new List<Geometry>();
        foreach (var line in lines)
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (!root.TryGetProperty("properties", out var properties) || !root.TryGetProperty("geometry", out var geometryJson))
                continue;
            var tags = OsmTagRules.TagsOf(properties);
            var building = OsmTagRules.BuildingType(tags);
            if (building is null && !OsmTagRules.IsBarrier(tags))
                continue;
            Geometry geometry;
            try
            {
                geometry = GeoJsonGeometry.Read(geometryJson);
            }
            catch (GeoJsonException)
            {
                continue;
            }
            if (building is not null && geometry is Polygon or MultiPolygon)
            {
                // Shops, schools and offices house nobody.
                buildings.Add((geometry, OsmTagRules.HoldsHomes(building) ? OsmTagRules.Levels(tags, building) : 0));
            }
            else if (building is null && (geometry is LineString or MultiLineString || OsmTagRules.IsWaterArea(tags)))
                barriers.Add(geometry);
        }
        if (buildings.Count == 0)
            return [];

        var extent = new Envelope();
        foreach (var (footprint, _) in buildings)
            extent.ExpandToInclude(footprint.EnvelopeInternal);
        var project = Projection(extent.Centre);
        var area = project(GeoJsonGeometry.Wgs84Factory.ToGeometry(extent)).Buffer(30, 1);
        var metricBarriers = barriers.Select(project).Where(b => b.Intersects(area)).ToList();
        var blocks = Territories.Blocks(area, metricBarriers);
        var units = new List<(Coordinate Point, int Households, long Id)>();
        long id = 1;
        foreach (var (footprint, levels) in buildings)
        {
            var metric = project(footprint);
            var households = (int)Math.Round(metric.Area * levels / 100.0);
            units.Add((metric.InteriorPoint.Coordinate, households, id++));
        }
        var cases = new List<SplitCase>();
        var blockIndex = 0;
        foreach (var block in blocks.OrderByDescending(b => b.Centroid.Y).ThenBy(b => b.Centroid.X))
        {
            blockIndex++;
            var prepared = NetTopologySuite.Geometries.Prepared.PreparedGeometryFactory.Prepare(block);
            var inside = units.Where(u => prepared.Contains(block.Factory.CreatePoint(u.Point))).ToList();
            if (inside.Sum(u => u.Households) == 0)
                continue;
            cases.Add(new SplitCase(dataset, $"block {blockIndex} (derived)", block,
                inside.Select(u => new SplitUnit(u.Id, u.Households, u.Point)).ToList(), []));
        }
        return cases;
    }

    /// Gauss–Krüger in China; elsewhere (bench extracts abroad) a local equirectangular plane, good to a fraction
    /// of a percent over a city.
    private static Func<Geometry, Geometry> Projection(Coordinate centre)
    {
        if (centre.X is >= 73.5 and < 136.5)
        {
            var zone = GaussKruger.ZoneSridFor(centre.X);
            return g => GaussKruger.Project(g, zone);
        }
        var kx = 111_320.0 * Math.Cos(centre.Y * Math.PI / 180);
        const double ky = 110_574.0;
        var factory = new GeometryFactory();
        return g =>
        {
            var copy = factory.CreateGeometry(g);
            copy.Apply(new LocalPlane(centre, kx, ky));
            copy.GeometryChanged();
            return copy;
        };
    }

    private sealed class LocalPlane(Coordinate centre, double kx, double ky) : ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            seq.SetX(i, (seq.GetX(i) - centre.X) * kx);
            seq.SetY(i, (seq.GetY(i) - centre.Y) * ky);
        }
    }
}
