using GridMap.Routing;
using NetTopologySuite.Geometries;

namespace GridMap.Tests.Routing;

public class HexGridTests
{
    [Fact]
    public void CellOf_PointsInsideHexagon_SameCell()
    {
        var grid = new HexGrid(new Envelope(0, 1000, 0, 1000), 100);
        var factory = new GeometryFactory();

        for (var cell = 0; cell < grid.Count; cell += 7)
        {
            var hexagon = grid.Polygon(cell, factory);
            Assert.Equal(cell, grid.CellOf(grid.Centre(cell)));
            Assert.Equal(cell, grid.CellOf(hexagon.Centroid.Coordinate));
            Assert.Equal(100 * 100 * Math.Sqrt(3) / 2, hexagon.Area, 3);
        }
    }

    [Fact]
    public void Polygon_Neighbours_ShareAnEdgeAndDoNotOverlap()
    {
        var grid = new HexGrid(new Envelope(0, 1000, 0, 1000), 100);
        var factory = new GeometryFactory();
        var a = grid.Polygon(grid.Columns + 2, factory);
        var b = grid.Polygon(grid.Columns + 3, factory);
        var above = grid.Polygon(2 * grid.Columns + 2, factory);

        Assert.True(a.Intersection(b).Area < 1e-6);
        Assert.True(a.Intersection(above).Area < 1e-6);
        Assert.True(a.Buffer(0.01).Intersects(b) && a.Buffer(0.01).Intersects(above));
    }
}
