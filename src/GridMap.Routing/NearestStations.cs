using NetTopologySuite.Geometries;
using NetTopologySuite.LinearReferencing;

namespace GridMap.Routing;

/// <summary>
/// The k stations nearest to a point by walking distance, each with its route: a Dijkstra from the point
/// that stops as soon as no unsettled node can beat the k-th station found.
/// </summary>
/// <remarks>Not thread-safe (it owns a <see cref="ShortestPaths"/>); coordinates are metres in the graph's frame.</remarks>
public sealed class NearestStations
{
    private readonly ShortestPaths _paths;
    private readonly IReadOnlyList<Coordinate> _stations;
    private readonly Dictionary<int, List<(int Station, double Along, double Off)>> _stationsOnRoad = [];
    private readonly bool[] _componentHasStation;

    /// <summary>
    /// Snaps the <paramref name="stations"/> (metres) to <paramref name="graph"/> once, each to the nearest road
    /// of a main piece (<see cref="WalkingGraph.IsMainRoad"/>), as <see cref="WalkCoverage"/> does.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSnapMeters"/> is not positive.</exception>
    public NearestStations(WalkingGraph graph, IReadOnlyList<Coordinate> stations, double maxSnapMeters = 300)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(stations);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSnapMeters);
        _paths = new ShortestPaths(graph);
        _stations = stations;
        MaxSnapMeters = maxSnapMeters;
        _componentHasStation = new bool[graph.ComponentCount];
        for (var i = 0; i < stations.Count; i++)
        {
            if (graph.Snap(stations[i], maxSnapMeters, graph.IsMainRoad) is not { } snap)
                continue;
            _componentHasStation[graph.ComponentOfRoad(snap.Road)] = true;
            if (!_stationsOnRoad.TryGetValue(snap.Road, out var list))
                _stationsOnRoad[snap.Road] = list = [];
            list.Add((i, snap.AlongMeters, snap.OffNetworkMeters));
            ReachableStations++;
        }
    }

    /// <summary>Farthest off-network leg allowed, metres.</summary>
    public double MaxSnapMeters { get; }

    /// <summary>How many stations joined the network.</summary>
    public int ReachableStations { get; }

    /// <summary>
    /// The up to <paramref name="k"/> nearest stations from <paramref name="point"/>, nearest first, or null
    /// when the point is farther than <see cref="MaxSnapMeters"/> from every road of a piece that holds a station.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    public IReadOnlyList<NearestStation>? Find(Coordinate point, int k)
    {
        ArgumentNullException.ThrowIfNull(point);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var graph = _paths.Graph;
        if (graph.Snap(point, MaxSnapMeters, road => _componentHasStation[graph.ComponentOfRoad(road)]) is not { } from)
            return null;
        var (fromStart, fromEnd) = graph.RoadNodes(from.Road);
        var fromLength = graph.RoadLength[from.Road];
        var best = new Dictionary<int, (double Meters, int Node)>();
        if (_stationsOnRoad.TryGetValue(from.Road, out var sameRoad))
        {
            foreach (var (station, along, off) in sameRoad)
                best[station] = (from.OffNetworkMeters + Math.Abs(along - from.AlongMeters) + off, -1);
        }
        var kth = KthMeters(best, k);
        _paths.Run(
            [new PathSource(fromStart, from.OffNetworkMeters + from.AlongMeters, 0),
             new PathSource(fromEnd, from.OffNetworkMeters + fromLength - from.AlongMeters, 0)],
            stop: (node, meters) =>
            {
                if (meters > kth)
                    return true;
                var changed = false;
                for (var e = graph.FirstEdge[node]; e < graph.FirstEdge[node + 1]; e++)
                {
                    var road = graph.EdgeRoad[e];
                    if (!_stationsOnRoad.TryGetValue(road, out var onRoad))
                        continue;
                    foreach (var (station, along, off) in onRoad)
                    {
                        var fromNode = graph.RoadStart[road] == node ? along : graph.RoadLength[road] - along;
                        var candidate = meters + fromNode + off;
                        if (!best.TryGetValue(station, out var known) || candidate < known.Meters)
                        {
                            best[station] = (candidate, node);
                            changed = true;
                        }
                    }
                }
                if (changed)
                    kth = KthMeters(best, k);
                return false;
            });
        return best.OrderBy(p => p.Value.Meters).ThenBy(p => p.Key).Take(k)
            .Select(p => new NearestStation(p.Key, p.Value.Meters, Route(point, from, p.Key, p.Value.Node)))
            .ToList();
    }

    private static double KthMeters(Dictionary<int, (double Meters, int Node)> best, int k) =>
        best.Count < k ? double.PositiveInfinity : best.Values.Select(v => v.Meters).Order().ElementAt(k - 1);

    // The walk as a line: point, its joining point, along the roads, the station's joining point, the station.
    private LineString Route(Coordinate point, SnapPoint from, int station, int viaNode)
    {
        var graph = _paths.Graph;
        var target = _stationsOnRoad.Values.SelectMany(l => l).First(s => s.Station == station);
        var targetRoad = _stationsOnRoad.First(p => p.Value.Any(s => s.Station == station)).Key;
        var coordinates = new List<Coordinate> { point.Copy(), from.OnRoad.Copy() };
        if (viaNode < 0)
        {
            Append(coordinates, graph, from.Road, from.AlongMeters, target.Along);
        }
        else
        {
            var path = _paths.PathTo(viaNode);
            var roads = _paths.RoadsTo(viaNode);
            var first = path[0];
            Append(coordinates, graph, from.Road, from.AlongMeters, graph.RoadStart[from.Road] == first ? 0 : graph.RoadLength[from.Road]);
            for (var i = 0; i < roads.Count; i++)
            {
                var road = roads[i];
                var forward = graph.RoadStart[road] == path[i];
                Append(coordinates, graph, road, forward ? 0 : graph.RoadLength[road], forward ? graph.RoadLength[road] : 0);
            }
            Append(coordinates, graph, targetRoad, graph.RoadStart[targetRoad] == viaNode ? 0 : graph.RoadLength[targetRoad], target.Along);
        }
        coordinates.Add(_stations[station].Copy());
        var cleaned = new List<Coordinate>(coordinates.Count);
        foreach (var c in coordinates)
        {
            if (cleaned.Count == 0 || !cleaned[^1].Equals2D(c))
                cleaned.Add(c);
        }
        if (cleaned.Count == 1)
            cleaned.Add(cleaned[0].Copy());
        return new LineString([.. cleaned]);
    }

    private static void Append(List<Coordinate> coordinates, WalkingGraph graph, int road, double fromAlong, double toAlong)
    {
        var part = new LengthIndexedLine(graph.Roads[road]).ExtractLine(fromAlong, toAlong);
        coordinates.AddRange(part.Coordinates);
    }
}

/// <summary>A station (index into the list given), its walking distance in metres and the route (metres, graph frame).</summary>
public sealed record NearestStation(int Station, double Meters, LineString Route);
