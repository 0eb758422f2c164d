using GridMap.Routing;
using NetTopologySuite.Geometries;

namespace GridMap.Tests.Routing;

public class IsochroneTests
{
    [Fact]
    public void Compute_StraightStreet_ReachesBudgetAlongStreetOnly()
    {
        var graph = RoutingScaffolding.Graph([[0, 0], [500, 0], [1000, 0]], [[0, 1], [1, 2]]);
        var start = graph.Snap(new Coordinate(500, 0), 10)!.Value;

        var polygon = Isochrone.Compute(new ShortestPaths(graph), start, budgetMeters: 300, offNetworkMeters: 50);

        Assert.True(polygon.Contains(new Point(250, 0)));
        Assert.True(polygon.Contains(new Point(700, 40)));
        Assert.False(polygon.Contains(new Point(850, 0)));
        Assert.False(polygon.Contains(new Point(500, 80)));
        // 600 m of street, 100 m wide, tapering at both ends.
        Assert.InRange(polygon.Area, 0.85 * 600 * 100, 600 * 100 + Math.PI * 50 * 50);
    }

    [Fact]
    public void Compute_LargerBudget_ContainsSmaller()
    {
        var graph = RoutingScaffolding.Lattice(6, 100);
        var paths = new ShortestPaths(graph);
        var start = graph.Snap(new Coordinate(250, 250), 100)!.Value;

        var small = Isochrone.Compute(paths, start, 150);
        var medium = Isochrone.Compute(paths, start, 300);
        var large = Isochrone.Compute(paths, start, 450);

        Assert.True(small.Difference(medium).Area < 1);
        Assert.True(medium.Difference(large).Area < 1);
        Assert.True(small.Area < medium.Area && medium.Area < large.Area);
    }

    [Fact]
    public void Compute_RiverWithoutBridge_NotCrossed()
    {
        // Two parallel streets 300 m apart with no link: the far one is not reached however large the budget.
        var graph = RoutingScaffolding.Graph([[0, 0], [1000, 0], [0, 300], [1000, 300]], [[0, 1], [2, 3]]);
        var start = graph.Snap(new Coordinate(500, 0), 10)!.Value;

        var polygon = Isochrone.Compute(new ShortestPaths(graph), start, 2000, offNetworkMeters: 100);

        Assert.False(polygon.Contains(new Point(500, 300)));
        Assert.True(polygon.Contains(new Point(990, 0)));
    }
}
