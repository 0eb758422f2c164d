using GridMap.Regions;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace GridMap.Tests.Regions;

public class HouseholdGridPartitionerTests
{
    private static readonly string[] NamedCauses =
    [
        SplitCause.NoUnits, SplitCause.NoHouseholds, SplitCause.UnitOverMax, SplitCause.CommunityUnderMin,
        SplitCause.PocketUnderMin, SplitCause.NoGridCount, SplitCause.SearchFailed,
    ];

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= 40; seed++)
            data.Add(seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Split_GeneratedCommunity_GridsTileContiguousWithinBounds(int seed)
    {
        var generated = GeneratedCommunity.Create(seed);
        var result = HouseholdGridPartitioner.Split(generated.Community, generated.Units, generated.Barriers, new SplitOptions(Seed: seed));

        AssertValidTiling(generated.Community, generated.Units, result);
        if (result.Feasible)
        {
            Assert.Empty(result.Problems);
            Assert.All(result.Grids, g => Assert.InRange(g.Households, 300, 500));
        }
        else
        {
            Assert.NotEmpty(result.Problems);
            Assert.All(result.Problems, p => Assert.Contains(p.Cause, NamedCauses));
        }
    }

    [Fact]
    public void Split_GeneratedCommunities_MostAreFeasible()
    {
        // Guards the property test above against passing vacuously on infeasible cases.
        var feasible = Enumerable.Range(1, 40).Count(seed =>
        {
            var g = GeneratedCommunity.Create(seed);
            return HouseholdGridPartitioner.Split(g.Community, g.Units, g.Barriers, new SplitOptions(Seed: seed)).Feasible;
        });
        Assert.True(feasible >= 24, $"only {feasible} of 40 generated communities split within bounds");
    }

    [Fact]
    public void Split_SameSeed_SameGrids()
    {
        var g = GeneratedCommunity.Create(7);
        var a = HouseholdGridPartitioner.Split(g.Community, g.Units, g.Barriers, new SplitOptions(Seed: 3));
        var b = HouseholdGridPartitioner.Split(g.Community, g.Units, g.Barriers, new SplitOptions(Seed: 3));
        Assert.Equal(a.Grids.Select(x => x.UnitIds), b.Grids.Select(x => x.UnitIds));
    }

    [Fact]
    public void Split_RoadThroughMiddle_GridsKeepToEachSide()
    {
        var community = GeneratedCommunity.Rectangle(0, 0, 400, 200);
        var units = new List<SplitUnit>();
        for (var i = 0; i < 8; i++)
        {
            units.Add(new SplitUnit(i + 1, 50, new Coordinate(20 + i * 20, 30 + i % 3 * 60)));
            units.Add(new SplitUnit(i + 101, 50, new Coordinate(230 + i * 20, 30 + i % 3 * 60)));
        }
        var road = GeneratedCommunity.Line(200, -5, 200, 205);

        var result = HouseholdGridPartitioner.Split(community, units, [road]);

        Assert.True(result.Feasible);
        Assert.Equal(2, result.Grids.Count);
        Assert.All(result.Grids, g => Assert.Equal(0, g.BarriersCrossed));
        Assert.All(result.Grids, g => Assert.True(g.UnitIds.All(id => id < 100) || g.UnitIds.All(id => id > 100)));
        Assert.Equal([1], result.Grids[0].Neighbors);
        AssertValidTiling(community, units, result);
    }

    [Fact]
    public void Split_SmallCompounds_KeptWhole()
    {
        var community = GeneratedCommunity.Rectangle(0, 0, 600, 300);
        var units = new List<SplitUnit>();
        for (var i = 0; i < 36; i++)
            units.Add(new SplitUnit(i + 1, 30, new Coordinate(15 + i % 12 * 50, 40 + i / 12 * 100), CompoundId: i / 4));

        var result = HouseholdGridPartitioner.Split(community, units, []);

        Assert.True(result.Feasible);
        Assert.All(result.Grids, g => Assert.Equal(0, g.CompoundsCut));
        AssertValidTiling(community, units, result);
    }

    [Fact]
    public void Split_BuildingOverMax_NamesUnitOverMax()
    {
        var community = GeneratedCommunity.Rectangle(0, 0, 400, 400);
        List<SplitUnit> units = [new(1, 620, new Coordinate(100, 100)), new(2, 200, new Coordinate(300, 100)),
            new(3, 200, new Coordinate(300, 300)), new(4, 150, new Coordinate(100, 300))];

        var result = HouseholdGridPartitioner.Split(community, units, []);

        Assert.False(result.Feasible);
        var problem = Assert.Single(result.Problems, p => p.Cause == SplitCause.UnitOverMax);
        Assert.Equal([1L], problem.UnitIds);
        Assert.True(result.Grids.Single(g => g.UnitIds.Contains(1)).Flagged);
        AssertValidTiling(community, units, result);
    }

    [Fact]
    public void Split_CommunityUnderMin_NamesCauseAndGivesOneGrid()
    {
        var community = GeneratedCommunity.Rectangle(0, 0, 200, 200);
        List<SplitUnit> units = [new(1, 100, new Coordinate(50, 50)), new(2, 120, new Coordinate(150, 150))];

        var result = HouseholdGridPartitioner.Split(community, units, []);

        Assert.False(result.Feasible);
        Assert.Equal(SplitCause.CommunityUnderMin, Assert.Single(result.Problems).Cause);
        Assert.Equal(220, Assert.Single(result.Grids).Households);
        AssertValidTiling(community, units, result);
    }

    [Fact]
    public void Split_PocketBehindRiver_NamesPocketAndMergesItAcross()
    {
        var community = GeneratedCommunity.Rectangle(0, 0, 500, 300);
        var units = new List<SplitUnit>();
        for (var i = 0; i < 16; i++)
            units.Add(new SplitUnit(i + 1, 50, new Coordinate(20 + i % 8 * 45, 50 + i / 8 * 150)));
        units.Add(new SplitUnit(100, 60, new Coordinate(470, 100)));
        units.Add(new SplitUnit(101, 60, new Coordinate(470, 200)));
        var river = GeneratedCommunity.Rectangle(420, -10, 440, 310);

        var result = HouseholdGridPartitioner.Split(community, units, [river]);

        Assert.False(result.Feasible);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(SplitCause.PocketUnderMin, problem.Cause);
        Assert.Equal([100L, 101L], problem.UnitIds.Order());
        var merged = result.Grids.Single(g => g.UnitIds.Contains(100));
        Assert.True(merged.Flagged);
        Assert.True(merged.BarriersCrossed > 0);
        Assert.All(result.Grids, g => Assert.InRange(g.Households, 300, 500));
        AssertValidTiling(community, units, result);
    }

    [Fact]
    public void Split_HouseholdsBetweenBounds_NamesNoGridCount()
    {
        var community = GeneratedCommunity.Rectangle(0, 0, 300, 300);
        var units = Enumerable.Range(0, 11).Select(i => new SplitUnit(i + 1, 50, new Coordinate(20 + i * 25, 20 + i * 25))).ToList();

        var result = HouseholdGridPartitioner.Split(community, units, []);

        Assert.False(result.Feasible);
        Assert.Equal(SplitCause.NoGridCount, Assert.Single(result.Problems).Cause);
        Assert.Equal(2, result.Grids.Count);
        AssertValidTiling(community, units, result);
    }

    [Fact]
    public void Split_NoUnitsOrNoHouseholds_NamesCause()
    {
        var community = GeneratedCommunity.Rectangle(0, 0, 100, 100);
        Assert.Equal(SplitCause.NoUnits, Assert.Single(HouseholdGridPartitioner.Split(community, [], []).Problems).Cause);
        var empty = HouseholdGridPartitioner.Split(community, [new SplitUnit(5, 0, new Coordinate(50, 50))], []);
        Assert.False(empty.Feasible);
        Assert.Equal([5L], Assert.Single(empty.Problems, p => p.Cause == SplitCause.NoHouseholds).UnitIds);
    }

    [Theory]
    [InlineData(0, 500)]
    [InlineData(400, 300)]
    public void Constructor_BadBounds_Throws(int min, int max) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new HouseholdGridPartitioner(new SplitOptions(min, max)));

    [Fact]
    public void Split_UnitsOnOnePoint_EachGetsATerritory()
    {
        var community = GeneratedCommunity.Rectangle(0, 0, 200, 200);
        var units = Enumerable.Range(1, 8).Select(i => new SplitUnit(i, 50, new Coordinate(100, 100))).ToList();
        units.Add(new SplitUnit(9, 50, new Coordinate(250, 250))); // outside the boundary

        var result = HouseholdGridPartitioner.Split(community, units, []);

        AssertValidTiling(community, units, result);
        Assert.True(result.Feasible);
    }

    private static void AssertValidTiling(Geometry community, List<SplitUnit> units, SplitResult result)
    {
        var placed = result.Grids.SelectMany(g => g.UnitIds).ToList();
        Assert.Equal(units.Select(u => u.Id).Order(), placed.Order()); // every unit exactly once
        var households = units.ToDictionary(u => u.Id, u => u.Households);
        Assert.All(result.Grids, g => Assert.Equal(g.UnitIds.Sum(id => households[id]), g.Households));
        Assert.Equal(units.Sum(u => u.Households), result.Grids.Sum(g => g.Households));

        var tolerance = community.Area * 1e-9;
        var union = UnaryUnionOp.Union(result.Grids.Select(g => g.Polygon).ToList());
        Assert.True(union.SymmetricDifference(community).Area < tolerance, "grids must cover exactly the community");
        for (var i = 0; i < result.Grids.Count; i++)
        {
            for (var j = i + 1; j < result.Grids.Count; j++)
                Assert.True(result.Grids[i].Polygon.Intersection(result.Grids[j].Polygon).Area < tolerance, $"grids {i} and {j} overlap");
            if (community.NumGeometries == 1)
                Assert.Equal(1, result.Grids[i].Polygon.NumGeometries); // contiguous
            Assert.Equal(result.Grids[i].Polygon.Area, result.Grids[i].AreaM2, 6);
            Assert.InRange(result.Grids[i].PolsbyPopper, 0.0, 1.0);
            Assert.All(result.Grids[i].Neighbors, n => Assert.Contains(i, result.Grids[n].Neighbors));
        }
    }
}
