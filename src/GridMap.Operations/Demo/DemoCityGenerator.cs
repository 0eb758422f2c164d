using System.Globalization;
using GridMap.Data;
using GridMap.Geo;
using NetTopologySuite.Geometries;
using NetTopologySuite.LinearReferencing;
using NetTopologySuite.Operation.OverlayNG;
using static GridMap.Operations.Demo.DemoGeometry;

namespace GridMap.Operations.Demo;

/// Generates the demo district: 3 streets, 11 communities, about 150 compounds with 1,500+ buildings,
/// grids tiling every community, 25 service stations, a few hundred cameras, a walking network and a
/// river crossed only on bridges. The same seed gives the same city, byte for byte. Pure geometry: no database.
public static class DemoCityGenerator
{
    public const int DefaultSeed = 2026;
    public const int StationCount = 25;

    // The 6-digit division code of Chaohu city is used as a realistic prefix; the codes below it are made up.
    private const string CodePrefix = "340181";

    public static DemoCity Generate(int seed = DefaultSeed)
    {
        var random = new Random(seed);
        var district = DemoDistrict.Create(random);
        var roads = new DemoRoads();
        var parcels = DemoBlocks.DrawRoadsAndParcels(random, district, roads);
        var localCompounds = DemoCompounds.Build(random, parcels, roads);
        var edges = roads.Build(district.Water);

        var city = new DemoCity();
        var compounds = AddCompoundsAndBuildings(city, random, district, localCompounds);
        AddAreas(city, random, district, compounds);
        AddStations(city, random, district, compounds);
        AddCameras(city, random, compounds, edges);
        var roadId = 0;
        foreach (var edge in DemoRoads.NodeOnOutputGrid(edges.Select(e => e with { Line = (LineString)ToWgs84Unrounded(e.Line) }).ToList()))
            city[Layers.Roads].Add(new(++roadId, edge.Line, [new("name", edge.Name), new("highway", edge.Highway), new("bridge", edge.Bridge)]));
        city[Layers.Water].Add(new(1, ToWgs84(district.Water), [new("name", DemoNames.River), new("kind", "river")]));
        return city;
    }

    private sealed record PlacedCompound(long Id, string Name, LocalCompound Local, int Community, List<(Geometry Footprint, int Households)> Buildings);

    /// Streets, communities and grids. Communities are redrawn by the grid tiling (by less than a
    /// centimetre) so that they share every edge with their grids; streets are unions of communities.
    private static void AddAreas(DemoCity city, Random random, DemoDistrict district, List<PlacedCompound> compounds)
    {
        var units = district.Communities
            .Select((_, c) => (IReadOnlyList<GridUnit>)compounds.Where(p => p.Community == c)
                .SelectMany(p => p.Buildings.Select(b => new GridUnit(b.Footprint.InteriorPoint.Coordinate, b.Households, p.Id)))
                .ToList())
            .ToList();
        var (communities, grids) = DemoGrids.TileAll(district.Communities.Select(c => ToWgs84(c.Area)).ToList(), units);
        for (var s = 0; s < DemoNames.Streets.Length; s++)
        {
            var members = communities.Where((_, c) => district.Communities[c].Street == s).ToList();
            var area = UnaryUnionNG.Union(GeometryFactories.Wgs84.BuildGeometry(members), OutputPrecision);
            city[Layers.Streets].Add(new(s + 1, area, [new("code", StreetCode(s)), new("name", DemoNames.Streets[s])]));
        }
        var perStreet = new int[DemoNames.Streets.Length];
        var gridId = 0L;
        for (var c = 0; c < district.Communities.Count; c++)
        {
            var street = district.Communities[c].Street;
            var code = $"{StreetCode(street)}{++perStreet[street]:D3}";
            var name = DemoNames.Communities[c];
            city[Layers.Communities].Add(new(c + 1, communities[c],
                [new("code", code), new("name", name), new("street_id", (long)street + 1)]));
            var number = 0;
            foreach (var (area, households) in grids[c])
            {
                number++;
                city[Layers.Grids].Add(new(++gridId, area,
                [
                    new("code", $"{code}{number:D2}"), new("name", $"{name}第{number}网格"),
                    new("community_id", c + 1L), new("level", "community"), new("grid_head", DemoNames.Person(random)),
                    new("grid_head_phone", DemoNames.Phone(random)), new("households", households),
                ]));
            }
        }
    }

    private static string StreetCode(int street) => $"{CodePrefix}{street + 1:D3}";

    private static List<PlacedCompound> AddCompoundsAndBuildings(DemoCity city, Random random, DemoDistrict district, List<LocalCompound> locals)
    {
        var ordered = locals
            .Select(c => (Compound: c, Community: district.Communities.FindIndex(m => m.Area.Contains(c.Area.InteriorPoint))))
            .Where(c => c.Community >= 0)
            .OrderBy(c => c.Community)
            .ThenBy(c => Math.Round(-c.Compound.Area.Centroid.Y / 150))
            .ThenBy(c => c.Compound.Area.Centroid.X)
            .ToList();
        var names = new HashSet<string>();
        var placed = new List<PlacedCompound>();
        long buildingId = 0;
        foreach (var (local, community) in ordered)
        {
            var id = placed.Count + 1L;
            var code = $"XQ{id:D4}";
            var name = DemoNames.Compound(random, local.Kind, names);
            var area = ToWgs84(local.Area);
            var buildings = new List<(Geometry, int)>();
            var number = 0;
            foreach (var building in local.Buildings)
            {
                var footprint = ToWgs84(building.Footprint);
                buildings.Add((footprint, building.Households));
                city[Layers.Buildings].Add(new(++buildingId, footprint,
                [
                    new("code", $"{code}-{++number:D2}"), new("compound_id", id), new("levels", building.Levels),
                    new("households", building.Households), new("households_estimated", building.Estimated),
                ]));
            }
            var households = local.Buildings.Sum(b => b.Households);
            object? population = random.NextDouble() < 0.7 ? (int)Math.Round(households * Uniform(random, 2.3, 3.0)) : null;
            object? company = local.Kind == "old_compound"
                ? random.NextDouble() < 0.5 ? null : "社区物业服务中心"
                : DemoNames.PropertyCompanies[random.Next(DemoNames.PropertyCompanies.Length)];
            city[Layers.Compounds].Add(new(id, area,
            [
                new("code", code), new("name", name), new("community_id", community + 1L), new("households", households),
                new("households_estimated", local.Buildings.Any(b => b.Estimated)), new("population", population),
                new("kind", local.Kind), new("property_company", company),
            ]));
            placed.Add(new PlacedCompound(id, name, local, community, buildings));
        }
        return placed;
    }

    /// A service centre per street, a station per community (at the compounds nearest their middles), and
    /// 驿站 in compounds spread over the two western streets, so the eastern street is visibly thinner.
    private static void AddStations(DemoCity city, Random random, DemoDistrict district, List<PlacedCompound> compounds)
    {
        var streets = Enumerable.Range(0, DemoNames.Streets.Length)
            .Select(s => Union(district.Communities.Where(c => c.Street == s).Select(c => (Geometry)c.Area)))
            .ToList();
        var used = new HashSet<long>();
        var sites = new List<(PlacedCompound Compound, string Kind, string Name)>();
        PlacedCompound? NearestFree(Geometry area) => compounds
            .Where(c => !used.Contains(c.Id) && c.Local.Gates.Count > 0 && area.Contains(c.Local.Area.InteriorPoint))
            .OrderBy(c => c.Local.Area.Centroid.Distance(area.Centroid))
            .FirstOrDefault();
        for (var s = 0; s < streets.Count; s++)
        {
            if (NearestFree(streets[s]) is { } compound)
            {
                used.Add(compound.Id);
                sites.Add((compound, "center", $"{DemoNames.Streets[s]}党群服务中心"));
            }
        }
        for (var c = 0; c < district.Communities.Count; c++)
        {
            if (NearestFree(district.Communities[c].Area) is { } compound)
            {
                used.Add(compound.Id);
                sites.Add((compound, "station", $"{DemoNames.Communities[c]}党群服务站"));
            }
        }
        string[] yizhan = ["红色驿站", "邻里驿站", "暖心驿站", "幸福驿站"];
        var candidates = compounds.Where(c => c.Local.Gates.Count > 0 && district.Communities[c.Community].Street != 2)
            .OrderBy(_ => random.Next()).ToList();
        foreach (var spacing in new[] { 420.0, 250, 0 })
        {
            foreach (var compound in candidates)
            {
                if (sites.Count >= StationCount)
                    break;
                if (used.Contains(compound.Id) || sites.Any(s => s.Compound.Local.Gates[0].Distance(compound.Local.Gates[0]) < spacing))
                    continue;
                used.Add(compound.Id);
                sites.Add((compound, "yizhan", compound.Name + yizhan[random.Next(yizhan.Length)]));
            }
        }
        var id = 0L;
        foreach (var (compound, kind, name) in sites)
        {
            var (area, hours) = kind switch
            {
                "center" => (Uniform(random, 800, 1500), "Mo-Fr 08:30-17:30; Sa 09:00-12:00"),
                "station" => (Uniform(random, 300, 650), "Mo-Fr 08:30-17:30"),
                _ => (Uniform(random, 60, 160), "Mo-Su 08:00-20:00"),
            };
            city[Layers.Stations].Add(new(++id, GeometryFactories.Wgs84.CreatePoint(ToWgs84(compound.Local.Gates[0])),
                [new("name", name), new("kind", kind), new("floor_area_m2", Math.Round(area / 10) * 10), new("opening_hours", hours)]));
        }
    }

    /// Cameras at compound gates, at junctions of named streets, at the stations and along the riverside.
    private static void AddCameras(DemoCity city, Random random, List<PlacedCompound> compounds, List<RoadEdge> edges)
    {
        var cameras = new List<(Coordinate Local, string Name, string Department)>();
        foreach (var compound in compounds)
        {
            var centre = compound.Local.Area.Centroid.Coordinate;
            foreach (var gate in compound.Local.Gates)
                cameras.Add((gate, compound.Name + Side(centre, gate) + "门", random.NextDouble() < 0.7 ? "综治" : "公安"));
        }
        var junctions = new Dictionary<Coordinate, SortedSet<string>>();
        foreach (var edge in edges.Where(e => e.Name is not null && e.Highway is not ("footway" or "service")))
        {
            foreach (var end in new[] { edge.Line.StartPoint.Coordinate, edge.Line.EndPoint.Coordinate })
            {
                if (!junctions.TryGetValue(end, out var names))
                    junctions[end] = names = new SortedSet<string>(StringComparer.Ordinal);
                names.Add(edge.Name!.TrimEnd('桥'));
            }
        }
        foreach (var (point, names) in junctions.Where(j => j.Value.Count >= 2).OrderBy(j => j.Key.X).ThenBy(j => j.Key.Y))
            cameras.Add((new Coordinate(point.X + 4, point.Y + 4), $"{names.Min}与{names.Max}交叉口", "公安"));
        foreach (var edge in edges.Where(e => e.Bridge || (e.Name?.EndsWith("滨河路", StringComparison.Ordinal) == true && e.Line.Length > 90)))
        {
            var middle = new LengthIndexedLine(edge.Line).ExtractPoint(edge.Line.Length / 2);
            cameras.Add((middle, (edge.Name ?? "人行桥") + "监控点", random.NextDouble() < 0.5 ? "应急管理" : "城管"));
        }
        var id = 0L;
        foreach (var (local, name, department) in cameras)
        {
            id++;
            var r = random.NextDouble();
            var status = r < 0.9 ? "online" : r < 0.96 ? "offline" : "fault";
            var url = string.Create(CultureInfo.InvariantCulture, $"rtsp://10.181.{id / 250}.{id % 250 + 1}:554/h264/ch1/main");
            city[Layers.Cameras].Add(new(id, GeometryFactories.Wgs84.CreatePoint(ToWgs84(local)),
            [
                new("name", $"{name}{id:D4}"), new("stream_url", url), new("status", status), new("department", department),
                new("heading", (double)random.Next(0, 360)), new("fov", (double)random.Next(60, 111)),
            ]));
        }
    }

    private static string Side(Coordinate centre, Coordinate gate)
    {
        var (dx, dy) = (gate.X - centre.X, gate.Y - centre.Y);
        return Math.Abs(dx) > Math.Abs(dy) ? (dx > 0 ? "东" : "西") : (dy > 0 ? "北" : "南");
    }
}
