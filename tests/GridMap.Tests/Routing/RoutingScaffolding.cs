using GridMap.Routing;
using NetTopologySuite.Geometries;

namespace GridMap.Tests.Routing;

/// Small hand-made networks in metres, from coordinate and edge arrays.
public static class RoutingScaffolding
{
    public static readonly MetricFrame Frame = MetricFrame.For(117.87, 31.6);

    private static readonly GeometryFactory Factory = new();

    public static WalkingGraph Graph(double[][] nodes, int[][] edges) =>
        WalkingGraph.BuildProjected(
            edges.Select((e, i) => ((long)i + 1, Line(nodes[e[0]], nodes[e[1]]))).ToList(), Frame);

    public static LineString Line(params double[][] points) =>
        Factory.CreateLineString(points.Select(p => new Coordinate(p[0], p[1])).ToArray());

    /// A square lattice of size × size nodes, spacing metres apart; node id = row * size + column.
    public static WalkingGraph Lattice(int size, double spacing)
    {
        var nodes = new List<double[]>();
        for (var row = 0; row < size; row++)
        {
            for (var column = 0; column < size; column++)
                nodes.Add([column * spacing, row * spacing]);
        }
        var edges = new List<int[]>();
        for (var row = 0; row < size; row++)
        {
            for (var column = 0; column < size; column++)
            {
                var id = row * size + column;
                if (column + 1 < size)
                    edges.Add([id, id + 1]);
                if (row + 1 < size)
                    edges.Add([id, id + size]);
            }
        }
        return Graph([.. nodes], [.. edges]);
    }

    /// The roads of a size × size lattice with its lower left node at (x0, y0), for networks of several pieces.
    public static IEnumerable<LineString> LatticeLines(int size, double spacing, double x0 = 0, double y0 = 0)
    {
        for (var row = 0; row < size; row++)
        {
            for (var column = 0; column < size; column++)
            {
                double[] at = [x0 + column * spacing, y0 + row * spacing];
                if (column + 1 < size)
                    yield return Line(at, [at[0] + spacing, at[1]]);
                if (row + 1 < size)
                    yield return Line(at, [at[0], at[1] + spacing]);
            }
        }
    }

    public static WalkingGraph FromLines(IEnumerable<LineString> lines) =>
        WalkingGraph.BuildProjected(lines.Select((l, i) => ((long)i + 1, l)).ToList(), Frame);

    public static int NodeAt(WalkingGraph graph, double x, double y) =>
        Enumerable.Range(0, graph.NodeCount).Single(n => graph.NodeCoordinate(n).Distance(new Coordinate(x, y)) < 0.01);
}
