namespace GridMap.Routing;

/// <summary>
/// Multi-source Dijkstra over a <see cref="WalkingGraph"/> in metres: a binary heap of (distance, node) in
/// parallel arrays with lazy deletion (stale entries are skipped when popped). Buffers are sized once per
/// graph and reused between runs; a run stamp makes resetting them free.
/// </summary>
/// <remarks>Not thread-safe: one instance per thread. Dijkstra, E. W. (1959), "A note on two problems in
/// connexion with graphs".</remarks>
public sealed class ShortestPaths
{
    private readonly WalkingGraph _graph;
    private readonly double[] _distance;
    private readonly int[] _origin;
    private readonly int[] _predecessorEdge;
    private readonly int[] _stamp;
    private readonly bool[] _settled;
    private int _run;
    private double[] _heapKeys = new double[1024];
    private int[] _heapNodes = new int[1024];
    private int _heapCount;

    /// <summary>Creates the search buffers for <paramref name="graph"/>.</summary>
    public ShortestPaths(WalkingGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        _graph = graph;
        _distance = new double[graph.NodeCount];
        _origin = new int[graph.NodeCount];
        _predecessorEdge = new int[graph.NodeCount];
        _stamp = new int[graph.NodeCount];
        _settled = new bool[graph.NodeCount];
    }

    /// <summary>The graph searched.</summary>
    public WalkingGraph Graph => _graph;

    /// <summary>
    /// Runs from all <paramref name="sources"/> at once: each node gets the distance (metres) to its nearest
    /// source and that source's <see cref="PathSource.Origin"/>. Nodes farther than <paramref name="maxMeters"/> stay
    /// unreached. <paramref name="stop"/>, when given, is asked with each settled node's distance and ends
    /// the search when it answers true.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A source names a node outside the graph or has a negative distance.</exception>
    public void Run(IReadOnlyList<PathSource> sources, double maxMeters = double.PositiveInfinity, Func<int, double, bool>? stop = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        NewRun();
        foreach (var source in sources)
        {
            if ((uint)source.Node >= (uint)_graph.NodeCount)
                throw new ArgumentOutOfRangeException(nameof(sources), source.Node, "Source node outside the graph.");
            if (!(source.Meters >= 0))
                throw new ArgumentOutOfRangeException(nameof(sources), source.Meters, "Source distance must be zero or more.");
            if (source.Meters <= maxMeters && source.Meters < Distance(source.Node))
            {
                Set(source.Node, source.Meters, source.Origin, -1);
                Push(source.Meters, source.Node);
            }
        }
        var firstEdge = _graph.FirstEdge;
        var targets = _graph.EdgeTarget;
        var roads = _graph.EdgeRoad;
        var lengths = _graph.RoadLength;
        while (_heapCount > 0)
        {
            var (d, u) = Pop();
            if (_settled[u] || d > _distance[u])
                continue;
            _settled[u] = true;
            if (stop is not null && stop(u, d))
                return;
            var origin = _origin[u];
            for (var e = firstEdge[u]; e < firstEdge[u + 1]; e++)
            {
                var v = targets[e];
                var candidate = d + lengths[roads[e]];
                if (candidate > maxMeters)
                    continue;
                if (_stamp[v] != _run)
                {
                    _stamp[v] = _run;
                    _settled[v] = false;
                }
                else if (candidate >= _distance[v])
                {
                    continue;
                }
                _distance[v] = candidate;
                _origin[v] = origin;
                _predecessorEdge[v] = e;
                Push(candidate, v);
            }
        }
    }

    /// <summary>Distance in metres from the nearest source in the last run, or +∞ when unreached.</summary>
    public double Distance(int node) => _stamp[node] == _run ? _distance[node] : double.PositiveInfinity;

    /// <summary>Origin of the nearest source of <paramref name="node"/> in the last run, or -1 when unreached.</summary>
    public int Origin(int node) => _stamp[node] == _run ? _origin[node] : -1;

    /// <summary>The half-edge by which <paramref name="node"/> was reached, or -1 for a source or an unreached node.</summary>
    public int PredecessorEdge(int node) => _stamp[node] == _run ? _predecessorEdge[node] : -1;

    /// <summary>Road of half-edge <paramref name="edge"/>.</summary>
    public int RoadOfEdge(int edge) => _graph.EdgeRoad[edge];

    /// <summary>The nodes of the path from a source to <paramref name="node"/>, source first.</summary>
    public IReadOnlyList<int> PathTo(int node)
    {
        var path = new List<int> { node };
        while (PredecessorEdge(path[^1]) is var e and >= 0)
        {
            var road = _graph.EdgeRoad[e];
            var last = path[^1];
            path.Add(_graph.RoadStart[road] == last ? _graph.RoadEnd[road] : _graph.RoadStart[road]);
        }
        path.Reverse();
        return path;
    }

    /// <summary>The roads along <see cref="PathTo"/>, source first.</summary>
    public IReadOnlyList<int> RoadsTo(int node)
    {
        var roads = new List<int>();
        var current = node;
        while (PredecessorEdge(current) is var e and >= 0)
        {
            var road = _graph.EdgeRoad[e];
            roads.Add(road);
            current = _graph.RoadStart[road] == current ? _graph.RoadEnd[road] : _graph.RoadStart[road];
        }
        roads.Reverse();
        return roads;
    }

    private void NewRun()
    {
        _heapCount = 0;
        if (++_run == int.MaxValue)
        {
            Array.Clear(_stamp);
            _run = 1;
        }
    }

    private void Set(int node, double meters, int origin, int edge)
    {
        _stamp[node] = _run;
        _settled[node] = false;
        _distance[node] = meters;
        _origin[node] = origin;
        _predecessorEdge[node] = edge;
    }

    private void Push(double key, int node)
    {
        if (_heapCount == _heapKeys.Length)
        {
            Array.Resize(ref _heapKeys, _heapCount * 2);
            Array.Resize(ref _heapNodes, _heapCount * 2);
        }
        var i = _heapCount++;
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (_heapKeys[parent] <= key)
                break;
            _heapKeys[i] = _heapKeys[parent];
            _heapNodes[i] = _heapNodes[parent];
            i = parent;
        }
        _heapKeys[i] = key;
        _heapNodes[i] = node;
    }

    private (double Key, int Node) Pop()
    {
        var top = (_heapKeys[0], _heapNodes[0]);
        var count = --_heapCount;
        if (count == 0)
            return top;
        var key = _heapKeys[count];
        var node = _heapNodes[count];
        var i = 0;
        while (true)
        {
            var child = 2 * i + 1;
            if (child >= count)
                break;
            if (child + 1 < count && _heapKeys[child + 1] < _heapKeys[child])
                child++;
            if (_heapKeys[child] >= key)
                break;
            _heapKeys[i] = _heapKeys[child];
            _heapNodes[i] = _heapNodes[child];
            i = child;
        }
        _heapKeys[i] = key;
        _heapNodes[i] = node;
        return top;
    }
}

/// <summary>A start of a search: a node, the metres already walked to reach it, and the caller's origin number.</summary>
public readonly record struct PathSource(int Node, double Meters, int Origin);
