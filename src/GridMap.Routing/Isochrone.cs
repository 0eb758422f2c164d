using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace GridMap.Routing;

/// <summary>
/// The area reachable on foot within a distance budget from one point, following the network: every
/// reached part of every road, widened by the walk still left at that spot (capped at the off-network
/// allowance), then merged with a cascaded union. Not a circle: a river without a bridge stays a border.
/// </summary>
/// <remarks>Thread-safe as long as each thread passes its own <see cref="ShortestPaths"/>.</remarks>
public static class Isochrone
{
    private const double PieceMeters = 25;

    /// <summary>
    /// The polygon (metres, graph frame) reachable within <paramref name="budgetMeters"/> of
    /// <paramref name="start"/>; empty when the start's own off-network leg uses up the budget.
    /// </summary>
    /// <param name="paths">Search buffers of the graph.</param>
    /// <param name="start">Where the walk joins the network.</param>
    /// <param name="budgetMeters">Walking budget (speed × time).</param>
    /// <param name="offNetworkMeters">Widest off-network walk either side of a road.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="budgetMeters"/> or <paramref name="offNetworkMeters"/> is not positive.</exception>
    public static Geometry Compute(ShortestPaths paths, SnapPoint start, double budgetMeters, double offNetworkMeters = 100)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(budgetMeters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(offNetworkMeters);
        var graph = paths.Graph;
        var factory = graph.Roads[0].Factory;
        var (s, e) = graph.RoadNodes(start.Road);
        var startLength = graph.RoadLength[start.Road];
        paths.Run(
            [new PathSource(s, start.OffNetworkMeters + start.AlongMeters, 0),
             new PathSource(e, start.OffNetworkMeters + startLength - start.AlongMeters, 0)],
            budgetMeters);
        var buffers = new List<Geometry>();
        var remainingAtStart = budgetMeters - start.OffNetworkMeters;
        if (remainingAtStart > 0)
            buffers.Add(factory.CreatePoint(start.OnRoad).Buffer(Math.Min(offNetworkMeters, remainingAtStart), 4));
        for (var road = 0; road < graph.RoadCount; road++)
        {
            var (a, b) = graph.RoadNodes(road);
            var length = graph.RoadLength[road];
            var da = paths.Distance(a);
            var db = paths.Distance(b);
            var direct = road == start.Road ? start.OffNetworkMeters : double.PositiveInfinity;
            if (da >= budgetMeters && db >= budgetMeters && direct >= budgetMeters)
                continue;
            double Walked(double x) => Math.Min(Math.Min(da + x, db + length - x), direct + Math.Abs(x - start.AlongMeters));
            var pieces = Math.Max(1, (int)Math.Ceiling(length / PieceMeters));
            var line = new NetTopologySuite.LinearReferencing.LengthIndexedLine(graph.Roads[road]);
            double? runStart = null;
            double runWidth = 0;
            for (var i = 0; i <= pieces; i++)
            {
                double? width = null;
                double x0 = 0, x1 = 0;
                if (i < pieces)
                {
                    x0 = length * i / pieces;
                    x1 = length * (i + 1) / pieces;
                    var left = budgetMeters - Math.Max(Walked(x0), Walked(x1));
                    if (left > 0)
                        width = Math.Min(offNetworkMeters, left);
                    else if (budgetMeters - Walked(x0) > 0 || budgetMeters - Walked(x1) > 0)
                        width = 0.5;
                }
                // Consecutive pieces of the same width become one buffer: fewer polygons to union.
                if (runStart is { } from && (width is null || Math.Abs(width.Value - runWidth) > 1e-9))
                {
                    buffers.Add(line.ExtractLine(from, x0).Buffer(runWidth, 4));
                    runStart = null;
                }
                if (width is { } w && runStart is null)
                {
                    runStart = x0;
                    runWidth = w;
                }
                if (width is not null && i == pieces - 1)
                {
                    buffers.Add(line.ExtractLine(runStart!.Value, x1).Buffer(runWidth, 4));
                    runStart = null;
                }
            }
        }
        if (buffers.Count == 0)
            return factory.CreatePolygon();
        return CascadedPolygonUnion.Union(buffers.Where(g => !g.IsEmpty).ToList()) ?? factory.CreatePolygon();
    }
}
