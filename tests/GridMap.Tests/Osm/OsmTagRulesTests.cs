using System.Text.Json;
using GridMap.Osm;

namespace GridMap.Tests.Osm;

public class OsmTagRulesTests
{
    /// Tags written as "k=v;k=v".
    private static Dictionary<string, string> Tags(string text) => text.Length == 0
        ? []
        : text.Split(';').Select(t => t.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    [Theory]
    [InlineData("highway=footway", true)]
    [InlineData("highway=residential", true)]
    [InlineData("highway=primary", true)]
    [InlineData("highway=residential;foot=no", false)]
    [InlineData("highway=motorway", false)]
    [InlineData("highway=motorway;foot=yes", true)]
    [InlineData("highway=construction;foot=yes", false)]
    [InlineData("highway=service;access=private", false)]
    [InlineData("highway=service;access=private;foot=permissive", true)]
    [InlineData("highway=bus_stop", false)]
    [InlineData("building=yes", false)]
    public void IsWalkable_Tags_FollowsTheWalkingRules(string tags, bool walkable) =>
        Assert.Equal(walkable, OsmTagRules.IsWalkable(Tags(tags)));

    [Theory]
    [InlineData("highway=primary", true)]
    [InlineData("highway=primary_link", true)]
    [InlineData("highway=secondary", true)]
    [InlineData("highway=motorway;bridge=yes", false)]
    [InlineData("highway=trunk;bridge=no", true)]
    [InlineData("highway=tertiary", false)]
    [InlineData("waterway=river", true)]
    [InlineData("waterway=stream", false)]
    [InlineData("natural=water", true)]
    [InlineData("landuse=reservoir", true)]
    [InlineData("building=yes", false)]
    [InlineData("railway=rail", true)]
    [InlineData("railway=tram", false)]
    [InlineData("highway=primary;tunnel=yes", false)]
    [InlineData("railway=rail;layer=-1", false)]
    public void IsBarrier_Tags_MajorRoadsNotBridgesAndWater(string tags, bool barrier) =>
        Assert.Equal(barrier, OsmTagRules.IsBarrier(Tags(tags)));

    [Theory]
    [InlineData("building=apartments", "apartments", true, 6)]
    [InlineData("building=apartments;building:levels=18", "apartments", true, 18)]
    [InlineData("building=house", "house", true, 2)]
    [InlineData("building=yes", "yes", true, 3)]
    [InlineData("building=retail", "retail", false, 1)]
    [InlineData("building=retail;building:levels=4", "retail", false, 4)]
    [InlineData("building=residential;building:levels=6.6", "residential", true, 7)]
    [InlineData("building=dormitory;building:levels=unknown", "dormitory", true, 5)]
    public void Levels_Building_GivenElseTheTypesDefault(string tags, string type, bool homes, int levels)
    {
        var parsed = Tags(tags);

        Assert.Equal(type, OsmTagRules.BuildingType(parsed));
        Assert.Equal(homes, OsmTagRules.HoldsHomes(type));
        Assert.Equal(levels, OsmTagRules.Levels(parsed, type));
    }

    [Theory]
    [InlineData("building=no")]
    [InlineData("amenity=school")]
    public void BuildingType_NotABuilding_Null(string tags) => Assert.Null(OsmTagRules.BuildingType(Tags(tags)));

    [Theory]
    [InlineData("12;13", 12)]
    [InlineData("0", null)]
    [InlineData("", null)]
    [InlineData("999", 200)]
    public void ParseLevels_Text_WholeLevelsOrNull(string text, int? levels) => Assert.Equal(levels, OsmTagRules.ParseLevels(text));

    [Theory]
    [InlineData("landuse=residential", true)]
    [InlineData("place=neighbourhood;name=东湖小区", true)]
    [InlineData("place=neighbourhood", false)]
    [InlineData("residential=urban", true)]
    [InlineData("landuse=commercial", false)]
    public void IsResidentialArea_Tags_Compounds(string tags, bool compound) =>
        Assert.Equal(compound, OsmTagRules.IsResidentialArea(Tags(tags)));

    [Theory]
    [InlineData("community_centre", "center")]
    [InlineData("townhall", "center")]
    [InlineData("social_facility", "station")]
    public void StationKind_TagValue_CentreOrStation(string value, string kind) => Assert.Equal(kind, OsmTagRules.StationKind(value));

    [Fact]
    public void Name_ChineseAndLocal_PrefersChinese() =>
        Assert.Equal("东湖", OsmTagRules.Name(Tags("name=Donghu;name:zh=东湖")));

    [Fact]
    public void TagsOf_OsmiumProperties_KeepsStringValuesOnly()
    {
        using var document = JsonDocument.Parse("""{"highway":"primary","lanes":"4","@id":7}""");

        var tags = OsmTagRules.TagsOf(document.RootElement);

        Assert.Equal(new Dictionary<string, string> { ["highway"] = "primary", ["lanes"] = "4" }, tags);
    }
}
