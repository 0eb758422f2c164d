using GridMap.Routing;
using NetTopologySuite.Geometries;

namespace GridMap.Tests.Routing;

public class WalkCoverageTests
{
    // A street 0–1000 m along y = 0, with a side street at x = 500 going north to y = 400.
    private static WalkingGraph Tee() => RoutingScaffolding.Graph(
        [[0, 0], [500, 0], [1000, 0], [500, 400]],
        [[0, 1], [1, 2], [1, 3]]);

    [Fact]
    public void Snap_PointBesideBlock_JoinsAtProjectedPoint()
    {
        var graph = Tee();

        var snap = graph.Snap(new Coordinate(150, 30), 100);

        Assert.NotNull(snap);
        Assert.Equal(150, snap.Value.OnRoad.X, 6);
        Assert.Equal(0, snap.Value.OnRoad.Y, 6);
        Assert.Equal(30, snap.Value.OffNetworkMeters, 6);
        Assert.Equal(150, graph.RoadLength[snap.Value.Road] == 500 && graph.RoadNodes(snap.Value.Road).Start == RoutingScaffolding.NodeAt(graph, 0, 0)
            ? snap.Value.AlongMeters : 500 - snap.Value.AlongMeters, 6);
    }

    [Fact]
    public void Snap_PointFarFromRoads_IsNull()
    {
        Assert.Null(Tee().Snap(new Coordinate(200, 300), 100));
    }

    [Fact]
    public void Compute_UnitMidBlock_WalksToNearerCornerOnly()
    {
        // Station on the side street 100 m north of the junction; unit 40 m beside the main street at x = 300.
        var results = WalkCoverage.Compute(Tee(), [new Coordinate(510, 100)], [new Coordinate(300, -40), new Coordinate(520, 300)]);

        Assert.Equal(10 + 100 + 200 + 40, results[0].Meters, 6);
        Assert.Equal(0, results[0].Station);
        // Same road as the station: straight along it, not via the junction.
        Assert.Equal(10 + 200 + 20, results[1].Meters, 6);
    }

    [Fact]
    public void Compute_TwoStations_UnitGetsNearerOne()
    {
        var results = WalkCoverage.Compute(Tee(), [new Coordinate(0, 5), new Coordinate(1000, 5)],
            [new Coordinate(200, 0), new Coordinate(800, 0), new Coordinate(500, 400)]);

        Assert.Equal(0, results[0].Station);
        Assert.Equal(205, results[0].Meters, 6);
        Assert.Equal(1, results[1].Station);
        Assert.Equal(205, results[1].Meters, 6);
        Assert.Equal(905, results[2].Meters, 6);
    }

    [Fact]
    public void Compute_UnitOffNetwork_Unreached()
    {
        var results = WalkCoverage.Compute(Tee(), [new Coordinate(0, 0)], [new Coordinate(0, 900)], maxSnapMeters: 200);

        Assert.False(results[0].Reached);
        Assert.True(double.IsPositiveInfinity(results[0].Meters));
    }

    [Fact]
    public void Find_TwoNearest_OrderedWithRoutesFromPointToStation()
    {
        var graph = Tee();
        var stations = new[] { new Coordinate(1000, 10), new Coordinate(500, 390), new Coordinate(20, 0) };
        var nearest = new NearestStations(graph, stations);

        var found = nearest.Find(new Coordinate(450, -20), 2)!;

        Assert.Equal([2, 1], found.Select(f => f.Station));
        Assert.Equal(20 + 430 + 0, found[0].Meters, 6);
        Assert.Equal(20 + 50 + 390 + 0, found[1].Meters, 6);
        foreach (var station in found)
        {
            Assert.True(station.Route.StartPoint.Coordinate.Distance(new Coordinate(450, -20)) < 1e-6);
            Assert.True(station.Route.EndPoint.Coordinate.Distance(stations[station.Station]) < 1e-6);
            Assert.Equal(station.Meters, station.Route.Length, 6);
        }
    }

    [Fact]
    public void Find_PointFarFromNetwork_Null()
    {
        Assert.Null(new NearestStations(Tee(), [new Coordinate(0, 0)]).Find(new Coordinate(5000, 5000), 3));
    }
}
