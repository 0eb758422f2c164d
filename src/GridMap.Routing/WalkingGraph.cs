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
public sealed partial class WalkingGraph
{
    private readonly STRtree<int> _segments;
    private readonly int[] _segmentRoad;
    private readonly double[] _segmentAlong;
    private readonly double[] _segmentX;
    private readonly double[] _segmentY;

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
        int[] firstEdge, int[] edgeTarget, int[] edgeRoad)
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
        TotalLengthMeters = roadLength.Sum();
        // One index entry per straight segment, so a query touches only the segments near the point.
        var segmentRoad = new List<int>();
        var segmentAlong = new List<double>();
        var xs = new List<double>();
        var ys = new List<double>();
        _segments = new STRtree<int>();
        for (var road = 0; road < roads.Length; road++)
        {
            var coordinates = roads[road].Coordinates;
            var along = 0.0;
            for (var i = 0; i + 1 < coordinates.Length; i++)
            {
                var id = segmentRoad.Count;
                segmentRoad.Add(road);
                segmentAlong.Add(along);
                xs.Add(coordinates[i].X);
                xs.Add(coordinates[i + 1].X);
                ys.Add(coordinates[i].Y);
                ys.Add(coordinates[i + 1].Y);
                _segments.Insert(new Envelope(coordinates[i], coordinates[i + 1]), id);
                along += coordinates[i].Distance(coordinates[i + 1]);
            }
        }
        _segments.Build();
        _segmentRoad = [.. segmentRoad];
        _segmentAlong = [.. segmentAlong];
        _segmentX = [.. xs];
        _segmentY = [.. ys];
        FindComponents();
    }

    /// <summary>Node coordinate (metres) of node <paramref name="node"/>.</summary>
    public Coordinate NodeCoordinate(int node)
    {
        if (FirstEdge[node] == FirstEdge[node + 1])
            throw new ArgumentOutOfRangeException(nameof(node), node, "The node has no edges.");
        var road = EdgeRoad[FirstEdge[node]];
        return RoadStart[road] == node ? Roads[road].GetCoordinateN(0) : Roads[road].GetCoordinateN(Roads[road].NumPoints - 1);
    }

    /// <summary>Length in metres of road <paramref name="road"/>.</summary>
    public double RoadLengthMeters(int road) => RoadLength[road];

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
        return new WalkingGraph(frame, [.. lines], [.. ids], [.. starts], [.. ends], [.. lengths], firstEdge, target, edgeRoad);
    }

    /// <summary>
    /// Joins a point (metres) to the nearest road at the projected point, or returns null when no road
    /// lies within <paramref name="maxDistanceMeters"/>. The segment index is searched in growing squares
    /// (30 m, 120 m, then the maximum): most points lie near a road, and a hit within the square's half
    /// side cannot be beaten by a segment outside it. Thread-safe.
    /// </summary>
    /// <param name="point">The point, metres in <see cref="Frame"/>.</param>
    /// <param name="maxDistanceMeters">Longest straight leg from the point to the road.</param>
    /// <param name="acceptRoad">When given, only roads it accepts are candidates: the nearest accepted road
    /// wins even where a rejected one lies nearer (e.g. an island, see <see cref="IsMainRoad"/>).</param>
    public SnapPoint? Snap(Coordinate point, double maxDistanceMeters, Func<int, bool>? acceptRoad = null)
    {
        ArgumentNullException.ThrowIfNull(point);
        foreach (var radius in new[] { 30.0, 120.0, maxDistanceMeters })
        {
            var r = Math.Min(radius, maxDistanceMeters);
            var best = SnapWithin(point, r, acceptRoad);
            if (best is not null || r >= maxDistanceMeters)
                return best;
        }
        return null;
    }

    private SnapPoint? SnapWithin(Coordinate point, double radius, Func<int, bool>? acceptRoad)
    {
        var search = new Envelope(point.X - radius, point.X + radius, point.Y - radius, point.Y + radius);
        var bestSegment = -1;
        var bestDistance = double.PositiveInfinity;
        var bestFraction = 0.0;
        foreach (var segment in _segments.Query(search))
        {
            if (acceptRoad is not null && !acceptRoad(_segmentRoad[segment]))
                continue;
            var ax = _segmentX[2 * segment];
            var ay = _segmentY[2 * segment];
            var dx = _segmentX[2 * segment + 1] - ax;
            var dy = _segmentY[2 * segment + 1] - ay;
            var lengthSquared = dx * dx + dy * dy;
            var fraction = lengthSquared > 0 ? Math.Clamp(((point.X - ax) * dx + (point.Y - ay) * dy) / lengthSquared, 0, 1) : 0;
            var px = ax + fraction * dx - point.X;
            var py = ay + fraction * dy - point.Y;
            var distance = Math.Sqrt(px * px + py * py);
            if (distance < bestDistance || (distance == bestDistance && segment < bestSegment))
            {
                bestDistance = distance;
                bestSegment = segment;
                bestFraction = fraction;
            }
        }
        if (bestSegment < 0 || bestDistance > radius)
            return null;
        var road = _segmentRoad[bestSegment];
        var x0 = _segmentX[2 * bestSegment];
        var y0 = _segmentY[2 * bestSegment];
        var segmentLength = Math.Sqrt(Math.Pow(_segmentX[2 * bestSegment + 1] - x0, 2) + Math.Pow(_segmentY[2 * bestSegment + 1] - y0, 2));
        var along = Math.Min(_segmentAlong[bestSegment] + bestFraction * segmentLength, RoadLength[road]);
        var onRoad = new Coordinate(x0 + bestFraction * (_segmentX[2 * bestSegment + 1] - x0), y0 + bestFraction * (_segmentY[2 * bestSegment + 1] - y0));
        return new SnapPoint(road, along, bestDistance, onRoad);
    }
}

/// <summary>
/// Where a point joins the network: road index, distance along the road from its start (metres), the
/// straight off-network leg (metres) and the joining point (metres, graph zone).
/// </summary>
public readonly record struct SnapPoint(int Road, double AlongMeters, double OffNetworkMeters, Coordinate OnRoad);
