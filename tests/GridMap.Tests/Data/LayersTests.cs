using System.Text.Json.Nodes;
using GridMap.Data;
using GridMap.Data.Tiles;
using GridMap.Regions;

namespace GridMap.Tests.Data;

/// The collections, the tile layers and the default style all come from the one declaration in Layers.
public class LayersTests
{
    private static readonly JsonNode Style = TileStyle.Default("http://gridmap.test", null);

    private static IEnumerable<JsonNode> StyleLayers => Style["layers"]!.AsArray().Select(l => l!).Where(l => (string?)l["type"] != "background");

    [Fact]
    public void Collections_AreTheNamesOfDesign8()
    {
        Assert.Equal(["streets", "communities", "grids", "compounds", "buildings", "stations", "cameras", "roads", "water", "coverage", "heatmap"],
            Layers.All.Select(l => l.Id));
        Assert.Equal(Layers.All.Count(), Layers.All.Select(l => l.Id).Distinct().Count());
    }

    [Fact]
    public void TileLayers_All_AreTheDeclaredLayersInTheSameOrder()
    {
        Assert.Equal(Layers.All.Where(l => l.Tiles is not null).Select(l => l.Id), TileLayers.All.Select(l => l.Id));
        foreach (var tile in TileLayers.All)
        {
            var layer = Layers.Find(tile.Id)!;
            Assert.Equal(layer.Tiles!.MinZoom, tile.MinZoom);
            Assert.Equal(layer.Kind, tile.Kind);
            Assert.All(tile.Fields, f => Assert.NotNull(layer.FindProperty(f.Name)));
        }
    }

    [Fact]
    public void TileLayers_PersonalProperties_NeverInTiles()
    {
        var personal = Layers.All.SelectMany(l => l.Properties.Where(p => p.Personal).Select(p => (l.Id, p.Name))).ToList();

        Assert.Contains(("grids", "grid_head_phone"), personal);
        Assert.DoesNotContain(TileLayers.All.SelectMany(t => t.Fields.Select(f => (t.Id, f.Name))), personal.Contains);
    }

    [Fact]
    public void TileLayers_ZoomRules_AsDeclared()
    {
        Assert.Equal(15, TileLayers.Find("cameras")!.ClusterBelowZoom);
        var roads = TileLayers.Find("roads")!;
        Assert.Equal(14, roads.FilterBelowZoom);
        Assert.StartsWith("highway IN ('motorway', 'trunk', 'primary', 'secondary', 'tertiary'", roads.LowZoomFilter, StringComparison.Ordinal);
    }

    [Fact]
    public void Style_DrawsEveryStyledLayerFromTheTilesInDrawOrder()
    {
        var declared = TileStyle.StyleLayers().ToList();

        Assert.Equal(declared.Select(p => p.StyleLayer.Id), StyleLayers.Select(l => (string?)l["id"]));
        Assert.Equal(declared.Select(p => p.Layer.Id), StyleLayers.Select(l => (string?)l["source-layer"]));
        Assert.All(StyleLayers, l => Assert.NotNull(TileLayers.Find((string)l["source-layer"]!)));
        Assert.All(StyleLayers, l => Assert.Equal(TileLayers.Find((string)l["source-layer"]!)!.MinZoom, (int)l["minzoom"]!));
        Assert.Equal(declared.Select(p => p.StyleLayer.Order).Order(), declared.Select(p => p.StyleLayer.Order));
        Assert.Equal(declared.Count, declared.Select(p => p.StyleLayer.Id).Distinct().Count());
    }

    [Fact]
    public void StyleMetadata_ListsTheStyledLayersWithTitlesAndTheGridBounds()
    {
        var metadata = Style["metadata"]!;
        var layers = metadata["gridmap:layers"]!.AsArray();

        Assert.Equal(Layers.All.Where(l => l.Style is not null).Select(l => l.Id), layers.Select(l => (string?)l!["id"]));
        Assert.Equal(StyleLayers.Select(l => (string?)l["source-layer"]).Distinct().Order(), layers.Select(l => (string?)l!["id"]).Order());
        Assert.Equal("网格", (string?)layers.Single(l => (string?)l!["id"] == "grids")!["title"]!["zh"]);
        Assert.Equal(GridBounds.MinHouseholds, (int)metadata["gridmap:grid_households"]!["min"]!);
        Assert.Equal(GridBounds.MaxHouseholds, (int)metadata["gridmap:grid_households"]!["max"]!);
        Assert.Contains(metadata["gridmap:legend"]!.AsArray(), e => (string?)e!["label"]!["en"] == $"Grid > {GridBounds.MaxHouseholds} households");
    }

    [Fact]
    public void GridFill_ColoursByTheGridBounds()
    {
        var paint = StyleLayers.Single(l => (string?)l["id"] == "grids-fill")["paint"]!["fill-color"]!.AsArray();

        Assert.Equal(GridBounds.MinHouseholds, (double)paint[3]!);
        Assert.Equal(GridBounds.MaxHouseholds + 0.5, (double)paint[5]!);
    }

    [Fact]
    public void Legend_ColoursAreColoursTheStyleDraws()
    {
        var styleText = Style["layers"]!.ToJsonString();

        Assert.All(Style["metadata"]!["gridmap:legend"]!.AsArray(), e => Assert.Contains($"\"{(string)e!["color"]!}\"", styleText, StringComparison.Ordinal));
    }
}
