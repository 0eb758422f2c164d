using GridMap.Api.Tiles;
using GridMap.Data.Tiles;
using GridMap.Operations.Tiles;

namespace GridMap.IntegrationTests.Tiles;

/// Which cached tiles a change evicts: pure computation, no database.
public sealed class TileCacheTagTests
{
    [Fact]
    public void SmallChange_EvictsItsOwnTileAtEveryZoom_AndNotItsNeighbours()
    {
        var tags = TileCache.EvictionTags("grids", 116.3095, 39.9795, 116.3098, 39.9798).ToHashSet();

        for (var z = 0; z <= TileLayers.MaxZoom; z++)
        {
            var own = TileData.TileAt(z, 116.30965, 39.97965);
            Assert.Contains($"t:grids:{z}/{own.X}/{own.Y}", tags);
        }
        var own18 = TileData.TileAt(18, 116.30965, 39.97965);
        Assert.DoesNotContain($"t:grids:18/{own18.X + 3}/{own18.Y}", tags);
        Assert.DoesNotContain(tags, t => t.Contains(":b:", StringComparison.Ordinal) || t == "t:grids");
    }

    [Fact]
    public void TagsOfACachedTile_MatchTheEvictionTagsOfAChangeInside()
    {
        var tile = TileData.TileAt(16, 116.31, 39.98);
        var request = new TileRequest([TileLayers.Find("roads")!, TileLayers.Find("grids")!], tile);
        var cached = TileCache.Tags(request).ToHashSet();

        Assert.Contains(TileCache.EvictionTags("grids", 116.31, 39.98, 116.3101, 39.9801), cached.Contains);
        Assert.DoesNotContain(TileCache.EvictionTags("buildings", 116.31, 39.98, 116.3101, 39.9801), cached.Contains);
    }

    [Fact]
    public void LargeChange_FallsBackToBlocksThenToTheZoom_WithBoundedTags()
    {
        // A street-sized change (~5 km): exact tiles at low zooms, 64×64 blocks at high zooms.
        var street = TileCache.EvictionTags("streets", 116.28, 39.95, 116.34, 39.99).ToList();
        Assert.Contains(street, t => t.StartsWith("t:streets:22:b:", StringComparison.Ordinal));
        Assert.Contains(street, t => t.StartsWith("t:streets:10/", StringComparison.Ordinal));
        Assert.True(street.Count < 23 * TileCache.MaxTagsPerZoom);

        // A whole-country change: the deepest zooms are evicted whole.
        var country = TileCache.EvictionTags("roads", 73, 18, 135, 53).ToList();
        Assert.Contains("t:roads:22", country);
        Assert.True(country.Count < 23 * TileCache.MaxTagsPerZoom);
    }
}
