using GridMap.Operations.Demo;
using GridMap.Data;
using GridMap.Geo;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Valid;

namespace GridMap.Tests.Demo;

/// Generates the demo city once (default seed) for all tests of this class; about five seconds.
public sealed class DemoCityFixture
{
    public DemoCity City { get; } = DemoCityGenerator.Generate();
}

public sealed class DemoCityGeneratorTests(DemoCityFixture fixture) : IClassFixture<DemoCityFixture>
{
    private readonly DemoCity _city = fixture.City;

    [Fact]
    public void Generate_SameSeed_WritesIdenticalFiles()
    {
        var again = DemoCityGenerator.Generate(DemoCityGenerator.DefaultSeed);
        foreach (var layer in DemoData.LoadOrder)
            Assert.Equal(DemoCity.ToGeoJson(_city[layer]), DemoCity.ToGeoJson(again[layer]));
    }

    [Fact]
    public void CommittedDemoFiles_AreTheGeneratorsOutputForTheDefaultSeed()
    {
        var directory = Path.Combine(LocalCluster.FindProjectRoot(), "data", "demo");
        foreach (var layer in DemoData.LoadOrder)
        {
            var committed = File.ReadAllText(Path.Combine(directory, $"{layer.Id}.geojson"));
            Assert.True(committed == DemoCity.ToGeoJson(_city[layer]),
                $"data/demo/{layer.Id}.geojson differs from the generator; run `gridmap demo generate`.");
        }
    }

    [Fact]
    public void Generate_Default_HasTheSizesOfTheIssue()
    {
        Assert.Equal(3, _city[Layers.Streets].Count);
        Assert.InRange(_city[Layers.Communities].Count, 10, 14);
        Assert.InRange(_city[Layers.Compounds].Count, 120, 200);
        Assert.True(_city[Layers.Buildings].Count >= 1500, $"{_city[Layers.Buildings].Count} buildings");
        Assert.InRange(_city[Layers.Buildings].Sum(b => Households(b)), 20_000, 99_999);
        Assert.Equal(25, _city[Layers.Stations].Count);
        Assert.Equal(new[] { "center", "station", "yizhan" }, _city[Layers.Stations].Select(s => (string)s["kind"]!).Distinct().Order());
        Assert.InRange(_city[Layers.Cameras].Count, 200, 1000);
        Assert.Contains(_city[Layers.Compounds], c => Households(c) > 500);
        Assert.Contains(_city[Layers.Compounds], c => Households(c) < 300);
        Assert.Contains(_city[Layers.Buildings], b => (bool)b["households_estimated"]!);
        Assert.Contains(_city[Layers.Roads], r => (bool)r["bridge"]!);
        Assert.Single(_city[Layers.Water]);
    }

    [Fact]
    public void Generate_Default_EveryGeometryIsValidAndOfItsLayersType()
    {
        foreach (var layer in DemoData.LoadOrder)
        {
            foreach (var feature in _city[layer])
            {
                var expected = layer.Kind switch
                {
                    GeometryKind.Polygon => feature.Geometry is Polygon or MultiPolygon,
                    GeometryKind.Point => feature.Geometry is Point,
                    _ => feature.Geometry is LineString { NumPoints: >= 2 },
                };
                Assert.True(expected, $"{layer.Id} {feature.Id} is a {feature.Geometry.GeometryType}");
                Assert.False(feature.Geometry.IsEmpty, $"{layer.Id} {feature.Id} is empty");
                var error = new IsValidOp(feature.Geometry).ValidationError;
                Assert.True(error is null, $"{layer.Id} {feature.Id}: {error?.Message}");
                Assert.All(feature.Geometry.Coordinates, c => Assert.True(c.X is > 117.7 and < 118.0 && c.Y is > 31.5 && c.Y < 31.7));
            }
        }
    }

    [Fact]
    public void Generate_Default_CompoundNamesAreChineseAndUnique()
    {
        var names = _city[Layers.Compounds].Select(c => (string)c["name"]!).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, n => Assert.Contains(n, ch => ch is >= '\u4e00' and <= '\u9fff'));
    }

    [Fact]
    public void Generate_Default_BuildingsLieInTheirCompoundAndDoNotOverlap()
    {
        var compounds = _city[Layers.Compounds].ToDictionary(c => c.Id);
        foreach (var building in _city[Layers.Buildings])
            Assert.True(compounds[(long)building["compound_id"]!].Geometry.Covers(building.Geometry), $"building {building.Id}");
        Assert.Empty(Overlapping(_city[Layers.Buildings]));
        Assert.Empty(Overlapping(_city[Layers.Compounds]));
    }

    [Fact]
    public void Generate_Default_CompoundsLieInTheirCommunityAndCommunitiesInTheirStreet()
    {
        var communities = _city[Layers.Communities].ToDictionary(c => c.Id);
        foreach (var compound in _city[Layers.Compounds])
            Assert.True(communities[(long)compound["community_id"]!].Geometry.Covers(compound.Geometry), $"compound {compound.Id}");
        var streets = _city[Layers.Streets].ToDictionary(s => s.Id);
        foreach (var community in _city[Layers.Communities])
            Assert.True(streets[(long)community["street_id"]!].Geometry.Covers(community.Geometry), $"community {community.Id}");
        Assert.Empty(Overlapping(_city[Layers.Communities]));
    }

    [Fact]
    public void Generate_Default_GridsTileEachCommunity()
    {
        foreach (var community in _city[Layers.Communities])
        {
            var grids = _city[Layers.Grids].Where(g => (long)g["community_id"]! == community.Id).Select(g => g.Geometry).ToList();
            Assert.NotEmpty(grids);
            var union = GeometryFactories.Wgs84.BuildGeometry(grids).Union();
            var mismatch = union.SymmetricDifference(community.Geometry);
            Assert.InRange(mismatch.IsEmpty ? 0 : GaussKruger.AreaSquareMeters(mismatch), 0, 0.01);
        }
        Assert.Empty(Overlapping(_city[Layers.Grids]));
    }

    [Fact]
    public void Generate_Default_GridHouseholdsAreTheBuildingsWhosePointOnSurfaceIsInside()
    {
        // As grid_households() in 001_core.sql counts them: a building belongs where its point on surface lies.
        var grids = _city[Layers.Grids];
        var index = new STRtree<DemoFeature>();
        foreach (var grid in grids)
            index.Insert(grid.Geometry.EnvelopeInternal, grid);
        var counted = grids.ToDictionary(g => g.Id, _ => 0);
        foreach (var building in _city[Layers.Buildings])
        {
            var point = building.Geometry.InteriorPoint;
            var inside = index.Query(point.EnvelopeInternal).Where(g => g.Geometry.Intersects(point)).ToList();
            Assert.True(inside.Count == 1, $"building {building.Id} is in {inside.Count} grids");
            counted[inside[0].Id] += Households(building);
        }
        Assert.All(grids, g => Assert.Equal(counted[g.Id], Households(g)));
        Assert.True(grids.Count(g => Households(g) is >= 300 and <= 500) >= 0.8 * grids.Count, "most grids hold 300–500 households");
    }

    [Fact]
    public void Generate_Default_RoadsAreOneNodedNetwork()
    {
        var roads = _city[Layers.Roads].Select(r => (LineString)r.Geometry).ToList();
        var parent = new Dictionary<Coordinate, Coordinate>();
        Coordinate Find(Coordinate c)
        {
            while (parent.TryGetValue(c, out var up) && !up.Equals2D(c))
                c = up;
            return c;
        }
        foreach (var road in roads)
        {
            var (a, b) = (Find(road.StartPoint.Coordinate), Find(road.EndPoint.Coordinate));
            parent.TryAdd(a, a);
            parent[b] = a;
        }
        Assert.Single(roads.Select(r => Find(r.StartPoint.Coordinate)).Distinct());

        // Noded: two roads meet only where one of them ends.
        var index = new STRtree<LineString>();
        foreach (var road in roads)
            index.Insert(road.EnvelopeInternal, road);
        foreach (var road in roads)
        {
            foreach (var other in index.Query(road.EnvelopeInternal).Where(o => !ReferenceEquals(o, road) && o.Intersects(road)))
            {
                var ends = GeometryFactories.Wgs84.CreateMultiPoint([road.StartPoint, road.EndPoint, other.StartPoint, other.EndPoint]);
                Assert.True(ends.Covers(road.Intersection(other)), $"roads cross between junctions at {road.Intersection(other).Coordinate}");
            }
        }
    }

    [Fact]
    public void Generate_Default_RoadsCrossWaterOnlyOnBridges()
    {
        var water = _city[Layers.Water].Single().Geometry;
        foreach (var road in _city[Layers.Roads])
        {
            if (road.Geometry.Intersects(water))
                Assert.True((bool)road["bridge"]!, $"road {road.Id} ({road["name"]}) crosses the river without a bridge");
        }
    }

    private static int Households(DemoFeature feature) => Convert.ToInt32(feature["households"], System.Globalization.CultureInfo.InvariantCulture);

    /// Pairs of polygons whose interiors share more than 0.01 m².
    private static List<(long, long)> Overlapping(List<DemoFeature> features)
    {
        var index = new STRtree<DemoFeature>();
        foreach (var feature in features)
            index.Insert(feature.Geometry.EnvelopeInternal, feature);
        var pairs = new List<(long, long)>();
        foreach (var feature in features)
        {
            foreach (var other in index.Query(feature.Geometry.EnvelopeInternal).Where(o => o.Id > feature.Id && o.Geometry.Intersects(feature.Geometry)))
            {
                var shared = feature.Geometry.Intersection(other.Geometry);
                if (shared.Dimension == Dimension.Surface && GaussKruger.AreaSquareMeters(shared) > 0.01)
                    pairs.Add((feature.Id, other.Id));
            }
        }
        return pairs;
    }
}
