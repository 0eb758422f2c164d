using GridMap.Geo;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;

namespace GridMap.Osm;

/// What GridMap takes from OpenStreetMap (issue 3): walkable ways split at junctions, buildings with
/// levels, residential areas as compounds, and candidate service stations from tags.
public sealed class OsmExtract : OsmXmlReader.IHandler
{
    private static readonly GeometryFactory Factory = GeometryFactories.Wgs84;

    private readonly Dictionary<long, Coordinate> _nodes = [];
    private readonly Dictionary<long, long[]> _ways = [];
    private readonly List<(long Id, long[] Nodes, string Highway, string? Name, bool Bridge)> _walkways = [];
    private readonly (string Key, string Value)[] _stationTags;
    private long _elements;

    public List<OsmBuilding> Buildings { get; } = [];

    public List<OsmArea> Compounds { get; } = [];

    public List<OsmStation> Stations { get; } = [];

    public List<OsmRoad> Roads { get; } = [];

    /// What a clipped extract (ways whose nodes lie outside it, relations missing members) lost.
    public OsmClipped Clipped { get; } = new();
    /// Major roads, railways, rivers (lines) and water areas (polygons): where derived communities end.
    public List<Geometry> Barriers { get; } = [];

    /// <param name="stationTags">key=value pairs that make a candidate station; value * matches any.</param>
    public OsmExtract(IEnumerable<string> stationTags)
    {
        _stationTags = stationTags.Select(t => t.Split('=', 2)).Select(p => (p[0], p.Length > 1 ? p[1] : "*")).ToArray();
    }

    public void Node(long id, double lon, double lat, Dictionary<string, string> tags)
    {
        _nodes[id] = new Coordinate(lon, lat);
        Progress();
        if (StationKind(tags) is { } kind)
            Stations.Add(new OsmStation($"n{id}", OsmTagRules.Name(tags) ?? $"{kind} n{id}", kind, Factory.CreatePoint(new Coordinate(lon, lat))));
    }

    public void Way(long id, List<long> nodes, Dictionary<string, string> tags)
    {
        Progress();
        var missing = nodes.Count(n => !_nodes.ContainsKey(n));
        if (OsmTagRules.IsWalkable(tags))
        {
            // A clipped way keeps the runs of nodes the extract holds; joining across a gap would invent a
            // straight road through whatever lies outside.
            var runs = PresentRuns(nodes);
            foreach (var run in runs)
                _walkways.Add((id, run, tags["highway"], OsmTagRules.Name(tags), OsmTagRules.IsBridge(tags)));
            if (missing > 0)
                Clipped.WalkwaysCut += runs.Count > 0 ? 1 : 0;
            if (missing > 0 && runs.Count == 0)
                Clipped.WalkwaysDropped++;
        }
        if (missing > 0)
        {
            Clipped.MissingNodeRefs += missing;
            Clipped.Ways++;
            if (nodes.Count >= 4 && nodes[0] == nodes[^1] && tags.Count > 0 && !tags.ContainsKey("highway"))
                Clipped.AreasSkipped++;
            return;
        }
        var refs = nodes.ToArray();
        _ways[id] = refs;
        var closed = refs.Length >= 4 && refs[0] == refs[^1];
        if (OsmTagRules.IsBarrier(tags) && !(closed && OsmTagRules.IsWaterArea(tags)))
            Barriers.Add(Factory.CreateLineString(refs.Select(r => _nodes[r].Copy()).ToArray()));
        if (!closed)
            return;
        var polygon = Factory.CreatePolygon(refs.Select(r => _nodes[r].Copy()).ToArray());
        AddArea($"w{id}", polygon, tags);
    }

    public void Relation(long id, List<OsmXmlReader.Member> members, Dictionary<string, string> tags)
    {
        Progress();
        if (tags.GetValueOrDefault("type") != "multipolygon")
            return;
        // Outer rings made of single closed ways (the common case); rings stitched from several ways are skipped.
        var outers = new List<Polygon>();
        var inners = new List<LinearRing>();
        foreach (var member in members.Where(m => m.Type == "way"))
        {
            if (!_ways.TryGetValue(member.Ref, out var refs))
            {
                Clipped.RelationMembersMissing++;
                continue;
            }
            if (refs.Length < 4 || refs[0] != refs[^1])
                continue;
            var ring = Factory.CreateLinearRing(refs.Select(r => _nodes[r].Copy()).ToArray());
            if (member.Role == "inner")
                inners.Add(ring);
            else
                outers.Add(Factory.CreatePolygon(ring));
        }
        if (outers.Count == 0)
            return;
        Geometry area = Factory.CreateMultiPolygon([.. outers]);
        if (inners.Count > 0)
        {
            // Overlapping outers or self-touching rings are common in real data (and in clipped extracts);
            // fix both sides first, and skip the relation rather than fail the import when the overlay still cannot.
            try
            {
                area = GeometryFixer.Fix(area).Difference(GeometryFixer.Fix(Factory.CreateMultiPolygon(inners.Select(r => Factory.CreatePolygon(r)).ToArray())));
            }
            catch (TopologyException)
            {
                Clipped.AreasSkipped++;
                return;
            }
        }
        AddArea($"r{id}", area, tags);
    }

    private void AddArea(string osmId, Geometry area, Dictionary<string, string> tags)
    {
        if (OsmTagRules.BuildingType(tags) is { } building)
            Buildings.Add(new OsmBuilding(osmId, building, OsmTagRules.Levels(tags, building), OsmTagRules.HoldsHomes(building), area));
        if (OsmTagRules.IsWaterArea(tags) && OsmTagRules.IsBarrier(tags))
            Barriers.Add(area);
        if (OsmTagRules.IsResidentialArea(tags))
            Compounds.Add(new OsmArea(osmId, OsmTagRules.Name(tags), area));
        if (StationKind(tags) is { } kind)
            Stations.Add(new OsmStation(osmId, OsmTagRules.Name(tags) ?? $"{kind} {osmId}", kind, area));
    }

    /// Splits the walkable ways at every node two of them share (junctions), so the network is routable.
    public void FinishRoads()
    {
        var uses = new Dictionary<long, int>();
        foreach (var way in _walkways)
        {
            foreach (var node in way.Nodes)
                uses[node] = uses.GetValueOrDefault(node) + 1;
        }
        foreach (var way in _walkways)
        {
            var start = 0;
            for (var i = 1; i < way.Nodes.Length; i++)
            {
                if (i < way.Nodes.Length - 1 && uses[way.Nodes[i]] < 2)
                    continue;
                var coordinates = way.Nodes[start..(i + 1)].Select(n => _nodes[n].Copy()).ToArray();
                var distinct = coordinates.Where((c, k) => k == 0 || !c.Equals2D(coordinates[k - 1])).ToArray();
                if (distinct.Length >= 2)
                    Roads.Add(new OsmRoad(way.Name, way.Highway, way.Bridge, Factory.CreateLineString(distinct)));
                start = i;
            }
        }
        _ways.Clear();
        _nodes.Clear();
    }

    private List<long[]> PresentRuns(List<long> nodes)
    {
        var runs = new List<long[]>();
        var start = 0;
        for (var i = 0; i <= nodes.Count; i++)
        {
            if (i < nodes.Count && _nodes.ContainsKey(nodes[i]))
                continue;
            if (i - start >= 2)
                runs.Add([.. nodes.GetRange(start, i - start)]);
            start = i + 1;
        }
        return runs;
    }

    private string? StationKind(Dictionary<string, string> tags)
    {
        foreach (var (key, value) in _stationTags)
        {
            if (tags.TryGetValue(key, out var v) && (value == "*" || v == value))
                return OsmTagRules.StationKind(v);
        }
        return null;
    }

    private void Progress()
    {
        if (++_elements % 100_000 == 0)
            Console.Error.WriteLine($"  read {_elements:N0} OSM elements");
    }
}

/// Counts of what a clipped extract lost on import: node references to nodes the file does not hold, the
/// ways they touch (walkable ones are kept in pieces, areas skipped) and relation members not in the file.
public sealed class OsmClipped
{
    public long MissingNodeRefs { get; set; }

    public long Ways { get; set; }

    public long WalkwaysCut { get; set; }

    public long WalkwaysDropped { get; set; }

    public long AreasSkipped { get; set; }

    public long RelationMembersMissing { get; set; }

    public bool Any => MissingNodeRefs > 0 || AreasSkipped > 0 || RelationMembersMissing > 0;

    public override string ToString() =>
        $"clipped extract: {MissingNodeRefs:N0} node references missing in {Ways:N0} ways ({WalkwaysCut:N0} walkable ways kept in pieces, " +
        $"{WalkwaysDropped:N0} dropped), {AreasSkipped:N0} areas skipped, {RelationMembersMissing:N0} relation members missing";
}
