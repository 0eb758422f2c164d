using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace GridMap.Osm;

/// What OpenStreetMap tags mean to GridMap, declared once for the import (OsmExtract), the split input of an
/// extract (derived communities), the grid split's barriers in the database (SplitStore) and the tile benchmark.
public static class OsmTagRules
{
    /// Highways a pedestrian may use unless tagged foot=no; motorways only with an explicit foot=yes.
    public static readonly FrozenSet<string> WalkableHighways = new[]
    {
        "footway", "path", "steps", "pedestrian", "residential", "service", "living_street", "unclassified",
        "tertiary", "tertiary_link", "secondary", "secondary_link", "primary", "primary_link", "trunk", "trunk_link",
        "track", "cycleway", "road", "corridor", "bridleway", "platform",
    }.ToFrozenSet();

    /// Major roads (motorway to secondary, with the ramps of the first three): a grid should not cross them,
    /// except on a bridge, which people walk under.
    public static readonly FrozenSet<string> BarrierHighways = new[]
        { "motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link", "secondary" }.ToFrozenSet();

    /// Waterways drawn as lines that a grid should not cross (streams and ditches are stepped over).
    public static readonly FrozenSet<string> BarrierWaterways = new[] { "river", "canal" }.ToFrozenSet();

    /// Railways that enclose blocks (derived communities end at them); trams and disused lines do not.
    public static readonly FrozenSet<string> BarrierRailways = new[] { "rail", "light_rail", "narrow_gauge" }.ToFrozenSet();

    /// Lesser streets that cut a derived community over the maximum households, coarsest first: tertiary roads,
    /// then residential streets (major roads, railways and water always cut).
    public static readonly ImmutableArray<FrozenSet<string>> SubdividingHighways =
    [
        new[] { "tertiary", "tertiary_link", "secondary_link" }.ToFrozenSet(),
        new[] { "residential", "unclassified", "living_street", "pedestrian" }.ToFrozenSet(),
    ];

    /// Building types that hold homes, with their levels when building:levels is missing.
    /// `yes` counts as homes only inside a residential area.
    public static readonly FrozenDictionary<string, int> HomeLevels = new Dictionary<string, int>
    {
        ["apartments"] = 6,
        ["residential"] = 6,
        ["dormitory"] = 5,
        ["house"] = 2,
        ["detached"] = 2,
        ["semidetached_house"] = 2,
        ["terrace"] = 2,
        ["bungalow"] = 1,
        ["yes"] = 3,
    }.ToFrozenDictionary();

    /// key=value pairs that make a candidate service station when the import is given none; value * matches any.
    public static readonly ImmutableArray<string> DefaultStationTags =
        ["amenity=community_centre", "amenity=social_facility", "amenity=social_centre", "amenity=townhall", "office=government"];

    /// A way a pedestrian may use: a walkable highway not closed to walkers, or any highway signed for them.
    public static bool IsWalkable(IReadOnlyDictionary<string, string> tags)
    {
        if (!tags.TryGetValue("highway", out var highway))
            return false;
        var foot = tags.GetValueOrDefault("foot");
        if (foot == "no")
            return false;
        if (foot is "yes" or "designated" or "permissive")
            return highway is not ("proposed" or "construction");
        if (tags.GetValueOrDefault("access") is "no" or "private")
            return false;
        return WalkableHighways.Contains(highway);
    }

    public static bool IsBridge(IReadOnlyDictionary<string, string> tags) => tags.TryGetValue("bridge", out var bridge) && bridge != "no";

    /// Lakes, reservoirs and river areas: the water layer, and barriers to grids.
    public static bool IsWaterArea(IReadOnlyDictionary<string, string> tags) =>
        tags.GetValueOrDefault("natural") == "water" || tags.GetValueOrDefault("waterway") == "riverbank"
        || tags.GetValueOrDefault("landuse") == "reservoir";

    /// A major road or a railway (not a bridge or tunnel), a river or canal, or water: grids should not cross it,
    /// and derived communities end at it.
    public static bool IsBarrier(IReadOnlyDictionary<string, string> tags) =>
        !IsBridge(tags) && !IsTunnel(tags) && (tags.TryGetValue("highway", out var highway) && BarrierHighways.Contains(highway)
            || tags.TryGetValue("railway", out var railway) && BarrierRailways.Contains(railway)
            || tags.TryGetValue("waterway", out var waterway) && BarrierWaterways.Contains(waterway)
            || IsWaterArea(tags));

    /// A way underground (tunnel=yes, culvert, building_passage …): people walk over it.
    public static bool IsTunnel(IReadOnlyDictionary<string, string> tags) =>
        tags.TryGetValue("tunnel", out var tunnel) && tunnel != "no" || tags.GetValueOrDefault("layer", "0").StartsWith('-');

    /// The building type (`yes`, `apartments`, …), or null when the element is not a building.
    public static string? BuildingType(IReadOnlyDictionary<string, string> tags) =>
        tags.TryGetValue("building", out var building) && building != "no" ? building : null;

    public static bool HoldsHomes(string buildingType) => HomeLevels.ContainsKey(buildingType);

    /// building:levels when readable, else the type's default (1 for buildings without homes).
    public static int Levels(IReadOnlyDictionary<string, string> tags, string buildingType) =>
        ParseLevels(tags.GetValueOrDefault("building:levels")) ?? HomeLevels.GetValueOrDefault(buildingType, 1);

    /// "6", "6.5" or "12;13" as whole levels (rounded, at most 200); null when unreadable or below 1.
    public static int? ParseLevels(string? text)
    {
        if (text is null)
            return null;
        var digits = new string(text.TakeWhile(c => char.IsAsciiDigit(c) || c == '.').ToArray());
        return double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var levels) && levels >= 1
            ? (int)Math.Min(200, Math.Round(levels))
            : null;
    }

    /// Residential land, a named neighbourhood, or an area tagged residential=*: a compound (小区).
    public static bool IsResidentialArea(IReadOnlyDictionary<string, string> tags) =>
        tags.GetValueOrDefault("landuse") == "residential" || tags.GetValueOrDefault("place") == "neighbourhood" && tags.ContainsKey("name")
        || tags.ContainsKey("residential");

    /// The station kind of a matched station tag value: community centres and town halls are centres.
    public static string StationKind(string value) => value is "community_centre" or "townhall" ? "center" : "station";

    public static string? Name(IReadOnlyDictionary<string, string> tags) =>
        tags.GetValueOrDefault("name:zh") ?? tags.GetValueOrDefault("name");

    /// The string-valued properties of a feature that `osmium export` wrote: its tags.
    public static Dictionary<string, string> TagsOf(JsonElement properties)
    {
        var tags = new Dictionary<string, string>();
        if (properties.ValueKind != JsonValueKind.Object)
            return tags;
        foreach (var property in properties.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String)
                tags[property.Name] = property.Value.GetString()!;
        }
        return tags;
    }
}
