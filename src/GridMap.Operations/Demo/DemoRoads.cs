using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using static GridMap.Operations.Demo.DemoGeometry;

namespace GridMap.Operations.Demo;

/// A drawn road before noding: any lines, a highway class, a name, and whether it may cross water (on a bridge).
internal sealed record RoadSource(LineString Line, string Highway, string? Name, bool MayBridge);

/// One edge of the finished walking network: noded at every junction, so edges meet only at their ends.
internal sealed record RoadEdge(LineString Line, string Highway, string? Name, bool Bridge);

/// Collects drawn roads and turns them into a connected, noded walking network in which water is crossed
/// only on bridges.
internal sealed class DemoRoads
{
    // Where roads of several classes share a line, the first class in this list names it.
    private static readonly string[] Ranking = ["primary", "secondary", "tertiary", "residential", "service", "footway"];

    // Drawn lines overshoot what they should meet by a metre or two so noding sees the crossing; the
    // stubs beyond, and nothing else, are shorter than this and end nowhere.
    private const double StubMetres = 6;

    public List<RoadSource> Sources { get; } = [];

    public void Add(Geometry lines, string highway, string? name, bool mayBridge = false)
    {
        foreach (var line in Lines(lines))
        {
            if (line.Length > 0.5)
                Sources.Add(new RoadSource(line, highway, name, mayBridge));
        }
    }

    public IEnumerable<LineString> Drawn(Func<RoadSource, bool> where) => Sources.Where(where).Select(s => s.Line);

    public List<RoadEdge> Build(Geometry water)
    {
        var index = new STRtree<RoadSource>();
        foreach (var source in Sources)
            index.Insert(source.Line.EnvelopeInternal, source);
        var wet = water.Buffer(1);
        var edges = new List<RoadEdge>();
        foreach (var line in Lines(Union(Sources.Select(s => s.Line))))
        {
            foreach (var (run, source) in Runs(line, index, 0.01))
            {
                if (!run.Intersects(wet))
                    edges.Add(new RoadEdge(run, source.Highway, source.Name, false));
                else if (source.MayBridge)
                    edges.Add(new RoadEdge(run, source.Highway, source.Name is null ? null : source.Name + "桥", true));
            }
        }
        for (var pass = 0; pass < 4; pass++)
            edges = WithoutStubs(edges);
        return LargestComponent(edges);
    }

    /// Nodes WGS 84 edges again on the output's 7-decimal grid: rounding each line on its own could make
    /// near-coincident lines cross or overlap between junctions; snap-rounding them together cannot.
    public static List<RoadEdge> NodeOnOutputGrid(List<RoadEdge> wgs84Edges)
    {
        var index = new STRtree<RoadSource>();
        foreach (var edge in wgs84Edges)
            index.Insert(edge.Line.EnvelopeInternal, new RoadSource(edge.Line, edge.Highway, edge.Name, edge.Bridge));
        var factory = wgs84Edges[0].Line.Factory;
        var noded = NetTopologySuite.Operation.OverlayNG.UnaryUnionNG.Union(
            factory.BuildGeometry(wgs84Edges.Select(e => (Geometry)e.Line).ToList()), OutputPrecision);
        return Lines(noded)
            .SelectMany(line => Runs(line, index, 3e-7))
            .Select(r => new RoadEdge((LineString)factory.CreateGeometry(r.Run), r.Source.Highway, r.Source.Name, r.Source.MayBridge))
            .ToList();
    }

    /// Splits a noded line where the drawn road under it changes, so every edge has one class and name.
    private static IEnumerable<(LineString Run, RoadSource Source)> Runs(LineString line, STRtree<RoadSource> index, double tolerance)
    {
        var points = line.Coordinates;
        var start = 0;
        RoadSource? current = null;
        for (var i = 0; i < points.Length - 1; i++)
        {
            var source = SourceAt(new Coordinate((points[i].X + points[i + 1].X) / 2, (points[i].Y + points[i + 1].Y) / 2), index, tolerance);
            if (current is not null && source != current)
            {
                yield return (Local.CreateLineString(points[start..(i + 1)]), current);
                start = i;
            }
            current = source;
        }
        yield return (Local.CreateLineString(points[start..]), current!);
    }

    private static RoadSource SourceAt(Coordinate point, STRtree<RoadSource> index, double tolerance)
    {
        var near = new Envelope(point);
        near.ExpandBy(tolerance * 5);
        var at = Local.CreatePoint(point);
        return index.Query(near)
            .Where(s => s.Line.Distance(at) < tolerance)
            .OrderBy(s => Array.IndexOf(Ranking, s.Highway))
            .ThenBy(s => s.Name, StringComparer.Ordinal)
            .FirstOrDefault()
            ?? new RoadSource(Local.CreateLineString(), "footway", null, false);
    }

    private static List<RoadEdge> WithoutStubs(List<RoadEdge> edges)
    {
        var degree = new Dictionary<Coordinate, int>();
        foreach (var edge in edges)
        {
            foreach (var end in new[] { edge.Line.StartPoint.Coordinate, edge.Line.EndPoint.Coordinate })
                degree[end] = degree.GetValueOrDefault(end) + 1;
        }
        return edges.Where(e => !(e.Line.Length < StubMetres
                                  && (degree[e.Line.StartPoint.Coordinate] == 1 || degree[e.Line.EndPoint.Coordinate] == 1)))
            .ToList();
    }

    private static List<RoadEdge> LargestComponent(List<RoadEdge> edges)
    {
        var nodes = new Dictionary<Coordinate, int>();
        int Node(Coordinate c)
        {
            if (!nodes.TryGetValue(c, out var id))
                nodes[c] = id = nodes.Count;
            return id;
        }
        var ends = edges.Select(e => (Node(e.Line.StartPoint.Coordinate), Node(e.Line.EndPoint.Coordinate))).ToList();
        var parent = Enumerable.Range(0, nodes.Count).ToArray();
        int Find(int x)
        {
            while (parent[x] != x)
                x = parent[x] = parent[parent[x]];
            return x;
        }
        foreach (var (a, b) in ends)
            parent[Find(a)] = Find(b);
        var size = new Dictionary<int, int>();
        foreach (var (a, _) in ends)
            size[Find(a)] = size.GetValueOrDefault(Find(a)) + 1;
        var largest = size.OrderByDescending(s => s.Value).ThenBy(s => s.Key).First().Key;
        return edges.Where((_, i) => Find(ends[i].Item1) == largest).ToList();
    }
}
