using GridMap.Regions;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace GridMap.Tests.Regions;

/// Derived communities (issue 11.1): blocks enclosed by barriers, merged until each fits a grid, tiling the area.
public class CommunityDerivationTests
{
    private static readonly GeometryFactory Factory = new();

    private static Polygon Box(double x0, double y0, double x1, double y1) =>
        Factory.CreatePolygon([new(x0, y0), new(x1, y0), new(x1, y1), new(x0, y1), new(x0, y0)]);

    private static LineString Line(double x0, double y0, double x1, double y1) => Factory.CreateLineString([new(x0, y0), new(x1, y1)]);

    /// <paramref name="count"/> units of <paramref name="each"/> households spread over the box.
    private static IEnumerable<DerivationUnit> Units(double x0, double y0, double x1, double y1, int count, int each, string? compound = null)
    {
        for (var i = 0; i < count; i++)
        {
            var t = (i + 0.5) / count;
            yield return new DerivationUnit(new Coordinate(x0 + (x1 - x0) * t, y0 + (y1 - y0) * (0.3 + 0.4 * t)), each, compound, compound is null ? 0 : 1000);
        }
    }

    private static void AssertTiles(Geometry area, IReadOnlyList<DerivedCommunity> communities, int units)
    {
        Assert.Equal(Enumerable.Range(0, units), communities.SelectMany(c => c.Units).Order());
        var union = UnaryUnionOp.Union(communities.Select(c => c.Polygon).ToList());
        Assert.Equal(area.Area, union.Area, 3);
        Assert.Equal(area.Area, communities.Sum(c => c.Polygon.Area), 3);
        Assert.All(communities, c => Assert.True(c.Polygon.IsValid));
    }

    [Fact]
    public void Derive_MainRoadBetweenTwoLargeBlocks_TwoCommunities()
    {
        var area = Box(0, 0, 1000, 500);
        var units = Units(0, 0, 500, 500, 10, 50, "东区").Concat(Units(500, 0, 1000, 500, 10, 60)).ToList();

        var communities = CommunityDerivation.Derive(area, [Line(500, -10, 500, 510)], units,
            [new NamedLine("西大街", Line(600, 250, 900, 250))], new DerivationOptions());

        Assert.Equal(2, communities.Count);
        Assert.Equal(["东区", "西大街"], communities.Select(c => c.Name).Order());
        Assert.Equal([500, 600], communities.Select(c => c.Households).Order());
        AssertTiles(area, communities, units.Count);
    }

    [Fact]
    public void Derive_SmallBlockAndEmptyBlock_JoinNeighbours()
    {
        // Three blocks: 1,000 households, 100 (too few for a grid) and none (a park).
        var area = Box(0, 0, 1500, 500);
        var units = Units(0, 0, 500, 500, 10, 100).Concat(Units(500, 0, 1000, 500, 2, 50)).ToList();

        var communities = CommunityDerivation.Derive(area, [Line(500, -10, 500, 510), Line(1000, -10, 1000, 510)], units, [],
            new DerivationOptions(), "社区");

        var only = Assert.Single(communities);
        Assert.Equal(1100, only.Households);
        Assert.Equal("社区 1", only.Name);
        AssertTiles(area, communities, units.Count);
    }

    [Fact]
    public void Derive_SmallBlockBetweenTwo_JoinsTheOneThatStaysUnderTheMaximum()
    {
        var area = Box(0, 0, 1500, 500);
        var units = Units(0, 0, 500, 500, 10, 495).Concat(Units(500, 0, 1000, 500, 2, 50)).Concat(Units(1000, 0, 1500, 500, 10, 100)).ToList();

        var communities = CommunityDerivation.Derive(area, [Line(500, -10, 500, 510), Line(1000, -10, 1000, 510)], units, [],
            new DerivationOptions(MaxHouseholds: 5000));

        Assert.Equal([1100, 4950], communities.Select(c => c.Households).Order());
        AssertTiles(area, communities, units.Count);
    }

    [Fact]
    public void Derive_BlockWithNoGridCount_JoinsANeighbour()
    {
        // 550 households fit no number of 300–500 grids; 550 + 700 = 1,250 fits three.
        var area = Box(0, 0, 1000, 500);
        var units = Units(0, 0, 500, 500, 11, 50).Concat(Units(500, 0, 1000, 500, 7, 100)).ToList();

        var communities = CommunityDerivation.Derive(area, [Line(500, -10, 500, 510)], units, [], new DerivationOptions());

        Assert.Equal(1250, Assert.Single(communities).Households);
        Assert.False(CommunityDerivation.HasGridCount(550, 300, 500));
        Assert.True(CommunityDerivation.HasGridCount(1250, 300, 500));
    }

    [Fact]
    public void Derive_RepeatedNames_GetNumbers()
    {
        var area = Box(0, 0, 1000, 500);
        var units = Units(0, 0, 500, 500, 10, 50, "花园").Concat(Units(500, 0, 1000, 500, 10, 50, "花园")).ToList();

        var communities = CommunityDerivation.Derive(area, [Line(500, -10, 500, 510)], units, [], new DerivationOptions());

        Assert.Equal(["花园", "花园 2"], communities.Select(c => c.Name).Order());
    }
}
