using NetTopologySuite.Geometries;

namespace GridMap.Routing;

/// <summary>
/// Walking distance from every point of interest to its nearest station in one multi-source pass
///. Stations and units join the network at their projected point on the nearest road, so a
/// unit mid-block walks only to the nearer corner; off-network legs count at walking speed too. Islands
/// cannot capture anything: a station joins the nearest road of a main piece
/// (<see cref="WalkingGraph.IsMainComponent"/>), and a unit the nearest road of a piece that holds a
/// station, so a unit beside a clipped footway walks from the street behind it instead.
/// </summary>
/// <remarks>Not thread-safe (it owns a <see cref="ShortestPaths"/>). Distances are metres; divide by a speed for seconds.</remarks>
public sealed class WalkCoverage
{
    private readonly ShortestPaths _paths;
    private readonly Dictionary<int, List<(double Along, double Meters, int Origin)>> _sourcesOnRoad = [];
    private readonly bool[] _componentHasStation;
    private readonly Func<int, bool> _servedRoad;
    private readonly List<UnreachableReason> _stationReasons = [];

    /// <summary>Creates a coverage computation over <paramref name="graph"/>.</summary>
    /// <param name="graph">The walking network.</param>
    /// <param name="maxSnapMeters">Farthest a point may lie from a road and still join it.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSnapMeters"/> is not positive.</exception>
    public WalkCoverage(WalkingGraph graph, double maxSnapMeters = 300)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSnapMeters);
        _paths = new ShortestPaths(graph);
        MaxSnapMeters = maxSnapMeters;
        _componentHasStation = new bool[graph.ComponentCount];
        _servedRoad = road => _componentHasStation[graph.ComponentOfRoad(road)];
    }

    /// <summary>The graph.</summary>
    public WalkingGraph Graph => _paths.Graph;

    /// <summary>Farthest off-network leg allowed, metres.</summary>
    public double MaxSnapMeters { get; }

    /// <summary>
    /// Per station of the last <see cref="RunFrom(IReadOnlyList{Coordinate})"/>: <see cref="UnreachableReason.None"/>
    /// when it joined the network, else why not (no road within <see cref="MaxSnapMeters"/>, or only an island).
    /// </summary>
    public IReadOnlyList<UnreachableReason> StationReasons => _stationReasons;

    /// <summary>
    /// One-call entry point: for each unit (metres in the graph's frame), metres to the nearest of the
    /// <paramref name="stations"/> and that station's index; +∞ and -1 when none is reachable.
    /// </summary>
    public static IReadOnlyList<WalkResult> Compute(WalkingGraph graph, IReadOnlyList<Coordinate> stations,
        IReadOnlyList<Coordinate> units, double maxSnapMeters = 300)
    {
        var coverage = new WalkCoverage(graph, maxSnapMeters);
        coverage.RunFrom(stations);
        return units.Select(coverage.Evaluate).ToList();
    }

    /// <summary>
    /// The multi-source pass from <paramref name="stations"/> (metres); returns how many stations joined
    /// the network. A station joins the nearest road of a main piece; one farther than
    /// <see cref="MaxSnapMeters"/> from every such road is left out (see <see cref="StationReasons"/>).
    /// </summary>
    public int RunFrom(IReadOnlyList<Coordinate> stations)
    {
        ArgumentNullException.ThrowIfNull(stations);
        ClearSources();
        var sources = new List<PathSource>(stations.Count * 2);
        for (var i = 0; i < stations.Count; i++)
        {
            if (Graph.Snap(stations[i], MaxSnapMeters, Graph.IsMainRoad) is not { } snap)
            {
                _stationReasons.Add(Graph.Snap(stations[i], MaxSnapMeters) is null ? UnreachableReason.NoRoadNearby : UnreachableReason.Island);
                continue;
            }
            _stationReasons.Add(UnreachableReason.None);
            AddSnappedSource(sources, snap, i);
        }
        _paths.Run(sources);
        return _sourcesOnRoad.Values.Sum(l => l.Count);
    }

    /// <summary>The multi-source pass from already snapped sources (origin = index in the list).</summary>
    public void RunFrom(IReadOnlyList<SnapPoint> snaps)
    {
        ArgumentNullException.ThrowIfNull(snaps);
        ClearSources();
        var sources = new List<PathSource>(snaps.Count * 2);
        for (var i = 0; i < snaps.Count; i++)
        {
            _stationReasons.Add(UnreachableReason.None);
            AddSnappedSource(sources, snaps[i], i);
        }
        _paths.Run(sources);
    }

    private void ClearSources()
    {
        _sourcesOnRoad.Clear();
        _stationReasons.Clear();
        Array.Clear(_componentHasStation);
    }

    private void AddSnappedSource(List<PathSource> sources, SnapPoint snap, int origin)
    {
        var (start, end) = Graph.RoadNodes(snap.Road);
        var length = Graph.RoadLength[snap.Road];
        _componentHasStation[Graph.ComponentOfRoad(snap.Road)] = true;
        sources.Add(new PathSource(start, snap.OffNetworkMeters + snap.AlongMeters, origin));
        sources.Add(new PathSource(end, snap.OffNetworkMeters + (length - snap.AlongMeters), origin));
        if (!_sourcesOnRoad.TryGetValue(snap.Road, out var list))
            _sourcesOnRoad[snap.Road] = list = [];
        list.Add((snap.AlongMeters, snap.OffNetworkMeters, origin));
    }

    /// <summary>
    /// Metres (and nearest station) of a point after <see cref="RunFrom(IReadOnlyList{Coordinate})"/>: the point
    /// joins the nearest road of a piece that holds a station. Unreached results carry the reason.
    /// </summary>
    public WalkResult Evaluate(Coordinate point) =>
        Graph.Snap(point, MaxSnapMeters, _servedRoad) is { } snap ? Evaluate(snap) : WalkResult.Unreached with { Reason = ReasonFor(point) };

    /// <summary>
    /// Why a point (metres) that joins no piece with a station has no time: no road within
    /// <see cref="MaxSnapMeters"/>, only islands within it, or only main pieces that no station joined.
    /// </summary>
    public UnreachableReason ReasonFor(Coordinate point)
    {
        if (Graph.Snap(point, MaxSnapMeters) is null)
            return UnreachableReason.NoRoadNearby;
        return Graph.Snap(point, MaxSnapMeters, Graph.IsMainRoad) is null ? UnreachableReason.Island : UnreachableReason.NoStationReachable;
    }

    /// <summary>Metres (and nearest station) of a snapped point after a run.</summary>
    public WalkResult Evaluate(SnapPoint snap)
    {
        var (start, end) = Graph.RoadNodes(snap.Road);
        var length = Graph.RoadLength[snap.Road];
        var best = WalkResult.Unreached;
        var viaStart = _paths.Distance(start) + snap.AlongMeters;
        if (viaStart < best.Meters)
            best = new WalkResult(viaStart, _paths.Origin(start));
        var viaEnd = _paths.Distance(end) + (length - snap.AlongMeters);
        if (viaEnd < best.Meters)
            best = new WalkResult(viaEnd, _paths.Origin(end));
        if (_sourcesOnRoad.TryGetValue(snap.Road, out var sameRoad))
        {
            foreach (var (along, meters, origin) in sameRoad)
            {
                var direct = meters + Math.Abs(along - snap.AlongMeters);
                if (direct < best.Meters)
                    best = new WalkResult(direct, origin);
            }
        }
        return best.Station < 0
            ? best with { Reason = UnreachableReason.NoStationReachable }
            : best with { Meters = best.Meters + snap.OffNetworkMeters };
    }

    /// <summary>Distance of a graph node after a run (for cross-checks against other routers).</summary>
    public double NodeMeters(int node) => _paths.Distance(node);

    /// <summary>The underlying search (for cross-checks).</summary>
    public ShortestPaths Paths => _paths;
}

/// <summary>
/// Walking distance in metres to the nearest station and that station's index (-1 and +∞ when unreachable,
/// with the <see cref="Reason"/> when it is known).
/// </summary>
public readonly record struct WalkResult(double Meters, int Station, UnreachableReason Reason = UnreachableReason.None)
{
    /// <summary>No station reachable.</summary>
    public static readonly WalkResult Unreached = new(double.PositiveInfinity, -1);

    /// <summary>Whether a station was reached.</summary>
    public bool Reached => Station >= 0;
}

/// <summary>Why a point has no walking time (the <c>unreachable_reason</c> values clients rely on).</summary>
public enum UnreachableReason
{
    /// <summary>It has one, or the reason is not known.</summary>
    None,

    /// <summary>No road lies within the snap distance (<c>no_road_within_300m</c>).</summary>
    NoRoadNearby,

    /// <summary>Only islands lie within the snap distance (<c>island</c>).</summary>
    Island,

    /// <summary>Roads of main pieces lie near, but no station joined any of them (<c>no_station_reachable</c>).</summary>
    NoStationReachable,
}
