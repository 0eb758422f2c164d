using GridMap.Routing;

namespace GridMap.Tests.Routing;

public class ShortestPathsTests
{
    [Fact]
    public void Run_LatticeFromCorner_DistancesAreManhattan()
    {
        var graph = RoutingScaffolding.Lattice(5, 100);
        var paths = new ShortestPaths(graph);
        var corner = RoutingScaffolding.NodeAt(graph, 0, 0);

        paths.Run([new PathSource(corner, 0, 7)]);

        for (var row = 0; row < 5; row++)
        {
            for (var column = 0; column < 5; column++)
            {
                var node = RoutingScaffolding.NodeAt(graph, column * 100, row * 100);
                Assert.Equal((row + column) * 100, paths.Distance(node), 6);
                Assert.Equal(7, paths.Origin(node));
            }
        }
    }

    [Fact]
    public void Run_TwoSources_EachNodeGetsNearerSource()
    {
        var graph = RoutingScaffolding.Graph(
            [[0, 0], [100, 0], [200, 0], [300, 0], [400, 0]],
            [[0, 1], [1, 2], [2, 3], [3, 4]]);
        var paths = new ShortestPaths(graph);

        paths.Run([new PathSource(RoutingScaffolding.NodeAt(graph, 0, 0), 0, 0), new PathSource(RoutingScaffolding.NodeAt(graph, 400, 0), 50, 1)]);

        Assert.Equal(0, paths.Origin(RoutingScaffolding.NodeAt(graph, 200, 0)));
        Assert.Equal(200, paths.Distance(RoutingScaffolding.NodeAt(graph, 200, 0)), 6);
        Assert.Equal(1, paths.Origin(RoutingScaffolding.NodeAt(graph, 300, 0)));
        Assert.Equal(150, paths.Distance(RoutingScaffolding.NodeAt(graph, 300, 0)), 6);
    }

    [Fact]
    public void Run_DisconnectedPart_StaysUnreached()
    {
        var graph = RoutingScaffolding.Graph([[0, 0], [100, 0], [500, 0], [600, 0]], [[0, 1], [2, 3]]);
        var paths = new ShortestPaths(graph);

        paths.Run([new PathSource(RoutingScaffolding.NodeAt(graph, 0, 0), 0, 0)]);

        Assert.True(double.IsPositiveInfinity(paths.Distance(RoutingScaffolding.NodeAt(graph, 600, 0))));
        Assert.Equal(-1, paths.Origin(RoutingScaffolding.NodeAt(graph, 600, 0)));
    }

    [Fact]
    public void Run_BuffersReused_SecondRunForgetsFirst()
    {
        var graph = RoutingScaffolding.Lattice(3, 100);
        var paths = new ShortestPaths(graph);
        paths.Run([new PathSource(RoutingScaffolding.NodeAt(graph, 0, 0), 0, 0)]);

        paths.Run([new PathSource(RoutingScaffolding.NodeAt(graph, 200, 200), 0, 1)], maxMeters: 150);

        Assert.True(double.IsPositiveInfinity(paths.Distance(RoutingScaffolding.NodeAt(graph, 0, 0))));
        Assert.Equal(100, paths.Distance(RoutingScaffolding.NodeAt(graph, 100, 200)), 6);
        Assert.Equal([RoutingScaffolding.NodeAt(graph, 200, 200), RoutingScaffolding.NodeAt(graph, 100, 200)],
            paths.PathTo(RoutingScaffolding.NodeAt(graph, 100, 200)));
    }
}
