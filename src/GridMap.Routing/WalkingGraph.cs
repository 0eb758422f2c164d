using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace GridMap.Routing;

/// <summary>
/// An undirected walking network in compressed sparse row form: node i's half-edges are
/// <c>FirstEdge[i] .. FirstEdge[i + 1] - 1</c>, each with a target node and the road it runs along.
/// Nodes are road end points merged when they coincide within 1 cm. Coordinates are metres in one
/// metric frame (<see cref="Frame"/>, normally a CGCS2000 Gauss–Krüger zone); roads keep their projected geometry for routes and isochrones.
/// </summary>
/// <remarks>Built once and never mutated, so it can be shared by any number of threads; the searches that
/// run on it (<see cref="ShortestPaths"/>) are not thread-safe and each thread needs its own.</remarks>
public sealed class WalkingGraph
{
    private readonly STRtree<int> _segments;

    /// <summary>Index of each node's first half-edge; length <see cref="NodeCount"/> + 1.</summary>
    internal int[] FirstEdge { get; }

    /// <summary>Node at the far end of each half-edge.</summary>
    internal int[] EdgeTarget { get; }

    /// <summary>Road (index into <see cref="Roads"/>) of each half-edge.</summary>
    internal int[] EdgeRoad { get; }

    /// <summary>Start and end node of each road.</summary>
    internal int[] RoadStart { get; }

    internal int[] RoadEnd { get; }

    /// <summary>Length in metres of each road, measured in the projection.</summary>
    internal double[] RoadLength { get; }

    /// <summary>The projected road geometries, in the order given to <see cref="Build"/>.</summary>
    public IReadOnlyList<LineString> Roads { get; }

    /// <summary>The caller's id of each road (the roads table id).</summary>
    public IReadOnlyList<long> RoadIds { get; }

    /// <summary>The metric frame of the graph's coordinates.</summary>
    public MetricFrame Frame { get; }

    /// <summary>Number of nodes.</summary>
    public int NodeCount => FirstEdge.Length - 1;

    /// <summary>Number of roads (undirected edges).</summary>
    public int RoadCount => RoadLength.Length;

    /// <summary>Total length of the network in metres.</summary>
    public double TotalLengthMeters { get; }

    private WalkingGraph(MetricFrame frame, LineString[] roads, long[] roadIds, int[] roadStart, int[] roadEnd, double[] roadLength,
        int[] firstEdge, int[] edgeTarget, int[] edgeRoad, STRtree<int> segments)
    {
        Frame = frame;
        Roads = roads;
        RoadIds = roadIds;
        RoadStart = roadStart;
        RoadEnd = roadEnd;
        RoadLength = roadLength;
        FirstEdge = firstEdge;
        EdgeTarget = edgeTarget;
        EdgeRoad = edgeRoad;
        _segments = segments;
        TotalLengthMeters = roadLength.Sum();
    }

    /// <summary>Node coordinate (metres) of node <paramref name="node"/>.</summary>
    public Coordinate NodeCoordinate(int node)
    {
        if (FirstEdge[node] == FirstEdge[node + 1])
            throw new ArgumentOutOfRangeException(nameof(node), node, "The node has no edges.");
        var road = EdgeRoad[FirstEdge[node]];
        return RoadStart[road] == node ? Roads[road].GetCoordinateN(0) : Roads[road].GetCoordinateN(Roads[road].NumPoints - 1);
    }

    /// <summary>Start and end node of road <paramref name="road"/>.</summary>
    public (int Start, int End) RoadNodes(int road) => (RoadStart[road], RoadEnd[road]);

    /// <summary>
    /// Builds the graph from WGS 84 road lines (SRID 0 or 4326), projected to the metric frame of their
    /// common extent. Roads of zero length are skipped.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="roads"/> is empty.</exception>
    public static WalkingGraph Build(IReadOnlyList<(long Id, LineString Wgs84)> roads)
    {
        ArgumentNullException.ThrowIfNull(roads);
        if (roads.Count == 0)
            throw new ArgumentException("A walking network needs at least one road.", nameof(roads));
        var extent = new Envelope();
        foreach (var (_, line) in roads)
            extent.ExpandToInclude(line.EnvelopeInternal);
        var frame = MetricFrame.For(extent.Centre.X, extent.Centre.Y);
        var projected = new List<(long, LineString)>(roads.Count);
        foreach (var (id, line) in roads)
            projected.Add((id, (LineString)frame.Project(line)));
        return BuildProjected(projected, frame);
    }

    /// <summary>Builds the graph from roads already in metres in <paramref name="frame"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="roads"/> is empty.</exception>
    public static WalkingGraph BuildProjected(IReadOnlyList<(long Id, LineString Line)> roads, MetricFrame frame)
    {
        ArgumentNullException.ThrowIfNull(roads);
        if (roads.Count == 0)
            throw new ArgumentException("A walking network needs at least one road.", nameof(roads));
        var nodes = new Dictionary<(long, long), int>();
        int NodeAt(Coordinate c)
        {
            var key = ((long)Math.Round(c.X * 100), (long)Math.Round(c.Y * 100));
            if (!nodes.TryGetValue(key, out var id))
                nodes[key] = id = nodes.Count;
            return id;
        }
        var lines = new List<LineString>(roads.Count);
        var ids = new List<long>(roads.Count);
        var starts = new List<int>(roads.Count);
        var ends = new List<int>(roads.Count);
        var lengths = new List<double>(roads.Count);
        foreach (var (id, line) in roads)
        {
            if (line.NumPoints < 2 || line.Length <= 0)
                continue;
            lines.Add(line);
            ids.Add(id);
            starts.Add(NodeAt(line.GetCoordinateN(0)));
            ends.Add(NodeAt(line.GetCoordinateN(line.NumPoints - 1)));
            lengths.Add(line.Length);
        }
        var nodeCount = nodes.Count;
        var firstEdge = new int[nodeCount + 1];
        for (var r = 0; r < lines.Count; r++)
        {
            firstEdge[starts[r] + 1]++;
            firstEdge[ends[r] + 1]++;
        }
        for (var i = 0; i < nodeCount; i++)
            firstEdge[i + 1] += firstEdge[i];
        var fill = (int[])firstEdge.Clone();
        var target = new int[firstEdge[nodeCount]];
        var edgeRoad = new int[target.Length];
        for (var r = 0; r < lines.Count; r++)
        {
            var a = fill[starts[r]]++;
            target[a] = ends[r];
            edgeRoad[a] = r;
            var b = fill[ends[r]]++;
            target[b] = starts[r];
            edgeRoad[b] = r;
        }
        var segments = new STRtree<int>();
        for (var r = 0; r < lines.Count; r++)
            segments.Insert(lines[r].EnvelopeInternal, r);
        segments.Build();
        return new WalkingGraph(frame, [.. lines], [.. ids], [.. starts], [.. ends], [.. lengths], firstEdge, target, edgeRoad, segments);
    }

    /// <summary>
    /// Joins a point (metres) to the nearest road at the projected point, or returns null when no road
    /// lies within <paramref name="maxDistanceMeters"/>. Thread-safe.
    /// </summary>
    public SnapPoint? Snap(Coordinate point, double maxDistanceMeters)
    {
        var search = new Envelope(point);
        search.ExpandBy(maxDistanceMeters);
        SnapPoint? best = null;
        foreach (var road in _segments.Query(search))
        {
            var line = Roads[road];
            var coordinates = line.Coordinates;
            var along = 0.0;
            for (var i = 0; i + 1 < coordinates.Length; i++)
            {
                var segment = new LineSegment(coordinates[i], coordinates[i + 1]);
                var fraction = segment.ProjectionFactor(point);
                fraction = Math.Clamp(double.IsFinite(fraction) ? fraction : 0, 0, 1);
                var onLine = segment.PointAlong(fraction);
                var distance = onLine.Distance(point);
                if (distance <= maxDistanceMeters && (best is null || distance < best.Value.OffNetworkMeters))
                    best = new SnapPoint(road, Math.Min(along + fraction * segment.Length, RoadLength[road]), distance, onLine);
                along += segment.Length;
            }
        }
        return best;
    }
}

/// <summary>
/// Where a point joins the network: road index, distance along the road from its start (metres), the
/// straight off-network leg (metres) and the joining point (metres, graph zone).
/// </summary>
public readonly record struct SnapPoint(int Road, double AlongMeters, double OffNetworkMeters, Coordinate OnRoad);
