using GridMap.Routing;
using NetTopologySuite.Geometries;

namespace GridMap.Tests.Routing;

/// Issue 11 item 2: small disconnected pieces (a clipped footway, a private service road) capture neither
/// stations nor units; every unit without a time says why.
public class IslandTests
{
    // The main grid: 8 × 8 nodes (64 ≥ 40), 100 m apart, 0–700 m each way. The island: one 100 m road 40 m
    // above the grid's top edge, nearer than the grid to points just above it.
    private static readonly LineString NearIsland = RoutingScaffolding.Line([150, 740], [250, 740]);
    private static readonly LineString FarIsland = RoutingScaffolding.Line([2000, 2000], [2100, 2000]);

    private static WalkingGraph GridWithIslands() =>
        RoutingScaffolding.FromLines([.. RoutingScaffolding.LatticeLines(8, 100), NearIsland, FarIsland]);

    [Fact]
    public void Build_GridAndTwoDetachedRoads_GridIsTheOnlyMainPiece()
    {
        var graph = GridWithIslands();

        Assert.Equal(3, graph.ComponentCount);
        Assert.Equal(1, graph.MainComponentCount);
        Assert.True(graph.IsMainRoad(0));
        Assert.False(graph.IsMainRoad(graph.RoadCount - 2));
        Assert.False(graph.IsMainRoad(graph.RoadCount - 1));
        Assert.Equal(64, graph.ComponentNodeCount(graph.ComponentOfRoad(0)));
        Assert.True(graph.IsMainNode(RoutingScaffolding.NodeAt(graph, 0, 0)));
        Assert.False(graph.IsMainNode(RoutingScaffolding.NodeAt(graph, 150, 740)));
    }

    [Fact]
    public void Build_TwoLargePieces_BothMain()
    {
        var graph = RoutingScaffolding.FromLines([.. RoutingScaffolding.LatticeLines(8, 100), .. RoutingScaffolding.LatticeLines(7, 100, 5000, 0)]);

        Assert.Equal(2, graph.ComponentCount);
        Assert.Equal(2, graph.MainComponentCount);
    }

    [Fact]
    public void Build_OnlySmallPieces_LargestIsMain()
    {
        var graph = RoutingScaffolding.FromLines([RoutingScaffolding.Line([0, 0], [100, 0], [100, 100]), RoutingScaffolding.Line([500, 0], [600, 0])]);

        Assert.Equal(2, graph.ComponentCount);
        Assert.Equal(1, graph.MainComponentCount);
    }

    [Fact]
    public void Compute_StationBesideIsland_JoinsMainGridAndServesIt()
    {
        // 5 m from the island, 45 m from the grid's top edge; the unit lies on that edge at x = 600.
        var coverage = new WalkCoverage(GridWithIslands());

        Assert.Equal(1, coverage.RunFrom([new Coordinate(220, 745)]));
        var result = coverage.Evaluate(new Coordinate(600, 700));

        Assert.Equal(UnreachableReason.None, coverage.StationReasons[0]);
        Assert.Equal(45 + 380, result.Meters, 6);
        Assert.Equal(0, result.Station);
    }

    [Fact]
    public void Compute_UnitBesideIsland_WalksFromMainGrid()
    {
        // 20 m from the island, 60 m from the grid at (200, 700); from the station at (0, 0): 900 m on the grid.
        var results = WalkCoverage.Compute(GridWithIslands(), [new Coordinate(0, 0)], [new Coordinate(200, 760)]);

        Assert.Equal(60 + 900, results[0].Meters, 6);
        Assert.Equal(UnreachableReason.None, results[0].Reason);
    }

    [Fact]
    public void Compute_UnitAndStationOnlyNearFarIsland_OffNetworkAsIsland()
    {
        var coverage = new WalkCoverage(GridWithIslands());

        Assert.Equal(1, coverage.RunFrom([new Coordinate(0, 0), new Coordinate(2050, 1990)]));
        var result = coverage.Evaluate(new Coordinate(2050, 2010));

        Assert.Equal(UnreachableReason.Island, coverage.StationReasons[1]);
        Assert.False(result.Reached);
        Assert.Equal(UnreachableReason.Island, result.Reason);
    }

    [Fact]
    public void Compute_UnitFarFromEveryRoad_NoRoadNearby()
    {
        var results = WalkCoverage.Compute(GridWithIslands(), [new Coordinate(0, 0)], [new Coordinate(5000, 5000)]);

        Assert.False(results[0].Reached);
        Assert.Equal(UnreachableReason.NoRoadNearby, results[0].Reason);
    }

    [Fact]
    public void Compute_UnitOnPieceWithoutStation_NoStationReachable()
    {
        // Two main pieces; the only station is on the first, the unit beside the second.
        var graph = RoutingScaffolding.FromLines([.. RoutingScaffolding.LatticeLines(8, 100), .. RoutingScaffolding.LatticeLines(7, 100, 5000, 0)]);

        var results = WalkCoverage.Compute(graph, [new Coordinate(0, 0)], [new Coordinate(5010, 50), new Coordinate(10, 50)]);

        Assert.Equal(UnreachableReason.NoStationReachable, results[0].Reason);
        Assert.True(results[1].Reached);
    }

    [Fact]
    public void Find_PointBesideIsland_RoutesOverMainGrid()
    {
        var nearest = new NearestStations(GridWithIslands(), [new Coordinate(0, 0), new Coordinate(2050, 1990)]);

        var found = nearest.Find(new Coordinate(200, 760), 3)!;

        Assert.Equal(1, nearest.ReachableStations);
        Assert.Equal([0], found.Select(f => f.Station));
        Assert.Equal(60 + 900, found[0].Meters, 6);
    }
}
