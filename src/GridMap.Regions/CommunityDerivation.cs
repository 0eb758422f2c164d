using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Union;

namespace GridMap.Regions;

/// <summary>A residential unit to place in a derived community.</summary>
/// <param name="Location">A point inside the unit, in the metric plane of the area.</param>
/// <param name="Households">Households living in the unit; zero or more.</param>
/// <param name="CompoundName">Name of the compound (小区) the unit lies in, if any: communities are named after their largest one.</param>
/// <param name="CompoundArea">Area of that compound in m² (what "largest" compares).</param>
public sealed record DerivationUnit(Coordinate Location, int Households, string? CompoundName = null, double CompoundArea = 0);

/// <summary>A named street line (metric plane): a community without named compounds is named after the longest one inside it.</summary>
public sealed record NamedLine(string Name, Geometry Line);

/// <summary>Household bounds of derived communities.</summary>
/// <param name="MinHouseholds">A community needs at least one grid's worth (default <see cref="GridBounds.MinHouseholds"/>).</param>
/// <param name="MaxHouseholds">Blocks are not merged beyond this many households (default 5,000).</param>
/// <param name="GridMaxHouseholds">Most households of a grid, to tell whether some grid count fits (default <see cref="GridBounds.MaxHouseholds"/>).</param>
public sealed record DerivationOptions(int MinHouseholds = GridBounds.MinHouseholds, int MaxHouseholds = 5000,
    int GridMaxHouseholds = GridBounds.MaxHouseholds);

/// <summary>One derived community: a union of barrier-enclosed blocks.</summary>
/// <param name="Polygon">Its area in the metric plane; the communities of one derivation tile the area given.</param>
/// <param name="Name">After its largest compound, else its longest named street, else a numbered fallback.</param>
/// <param name="Households">Households of its units.</param>
/// <param name="Units">Indexes of its units in the input list.</param>
public sealed record DerivedCommunity(Geometry Polygon, string Name, int Households, IReadOnlyList<int> Units);

/// <summary>
/// Derives communities where a city has none (an OpenStreetMap extract): the area is cut into blocks by major
/// roads, railways and water; blocks without households join the neighbour they share most boundary with; a
/// block with too few households for a grid (or a count no number of grids fits, e.g. 550 with 300–500) joins
/// the neighbour that keeps the merge under the maximum, preferring the longest shared boundary. Every unit ends
/// in exactly one community and the communities tile the area (less empty pieces that touch no other block).
/// </summary>
/// <remarks>Works in a planar metric coordinate system. Stateless and thread-safe.</remarks>
public static class CommunityDerivation
{
    /// <summary>Derives the communities of <paramref name="area"/> holding <paramref name="units"/>, cut by
    /// <paramref name="barriers"/> (lines, or polygons whose boundaries count).</summary>
    /// <param name="area">What to divide (metric plane).</param>
    /// <param name="barriers">Major roads, railways, rivers; water areas.</param>
    /// <param name="units">The homes, each placed in the block holding its point (the nearest block when none does).</param>
    /// <param name="streets">Named streets, for naming communities without a named compound.</param>
    /// <param name="options">Household bounds.</param>
    /// <param name="fallbackName">Prefix of the name of a community with no compound or street name ("社区" → "社区 3").</param>
    /// <param name="finerBarriers">Lines that cut a block holding more than the maximum, coarsest tier first (tertiary
    /// roads, then residential streets); a tier is used only inside the blocks still over the maximum.</param>
    /// <exception cref="ArgumentException">The area is empty or not polygonal.</exception>
    public static IReadOnlyList<DerivedCommunity> Derive(Geometry area, IReadOnlyList<Geometry> barriers, IReadOnlyList<DerivationUnit> units,
        IReadOnlyList<NamedLine> streets, DerivationOptions options, string fallbackName = "社区",
        IReadOnlyList<IReadOnlyList<Geometry>>? finerBarriers = null)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(options);
        if (area.IsEmpty || area is not (Polygon or MultiPolygon))
            throw new ArgumentException("The area must be a non-empty polygon.", nameof(area));
        var blocks = Territories.Blocks(area, barriers);
        foreach (var tier in finerBarriers ?? [])
            blocks = Subdivide(blocks, tier, units, options.MaxHouseholds);
        var blockOf = Locate(blocks, units);
        var households = new long[blocks.Count];
        for (var i = 0; i < units.Count; i++)
            households[blockOf[i]] += units[i].Households;
        var hasUnits = new bool[blocks.Count];
        foreach (var b in blockOf)
            hasUnits[b] = true;
        var groups = new BlockGroups(blocks, households, hasUnits, options);
        groups.MergeEmpty();
        groups.MergeSmall();
        return Build(blocks, groups, blockOf, units, streets, fallbackName);
    }

    /// <summary>Whether some number of grids k has ⌈H/max⌉ ≤ k ≤ ⌊H/min⌋.</summary>
    public static bool HasGridCount(long households, int min, int max) =>
        households >= min && (households + max - 1) / max <= households / min;

    private static List<Geometry> Subdivide(List<Geometry> blocks, IReadOnlyList<Geometry> lines, IReadOnlyList<DerivationUnit> units, int max)
    {
        var blockOf = Locate(blocks, units);
        var households = new long[blocks.Count];
        for (var i = 0; i < units.Count; i++)
            households[blockOf[i]] += units[i].Households;
        if (households.All(h => h <= max))
            return blocks;
        var tree = new STRtree<Geometry>();
        foreach (var line in lines)
            tree.Insert(line.EnvelopeInternal, line);
        var result = new List<Geometry>();
        for (var b = 0; b < blocks.Count; b++)
        {
            if (households[b] <= max)
                result.Add(blocks[b]);
            else
                result.AddRange(Territories.Blocks(blocks[b], tree.Query(blocks[b].EnvelopeInternal).ToList()));
        }
        return result;
    }

    private static int[] Locate(List<Geometry> blocks, IReadOnlyList<DerivationUnit> units)
    {
        var tree = new STRtree<int>();
        for (var b = 0; b < blocks.Count; b++)
            tree.Insert(blocks[b].EnvelopeInternal, b);
        tree.Build();
        var locators = new IndexedPointInAreaLocator?[blocks.Count];
        var blockOf = new int[units.Count];
        var factory = blocks[0].Factory;
        for (var i = 0; i < units.Count; i++)
        {
            var point = units[i].Location;
            var found = -1;
            foreach (var b in tree.Query(new Envelope(point)))
            {
                locators[b] ??= new IndexedPointInAreaLocator(blocks[b]);
                if (locators[b]!.Locate(point) != Location.Exterior && (found < 0 || b < found))
                    found = b;
            }
            if (found < 0)
            {
                // Outside every block (on the area's edge): the nearest one.
                var p = factory.CreatePoint(point);
                found = Enumerable.Range(0, blocks.Count).MinBy(b => blocks[b].Distance(p));
            }
            blockOf[i] = found;
        }
        return blockOf;
    }

    private static List<DerivedCommunity> Build(List<Geometry> blocks, BlockGroups groups, int[] blockOf,
        IReadOnlyList<DerivationUnit> units, IReadOnlyList<NamedLine> streets, string fallbackName)
    {
        var members = groups.Groups();
        var unitsOf = members.ToDictionary(m => m.Key, _ => new List<int>());
        for (var i = 0; i < units.Count; i++)
            unitsOf[groups.Find(blockOf[i])].Add(i);
        var streetTree = new STRtree<NamedLine>();
        foreach (var street in streets)
            streetTree.Insert(street.Line.EnvelopeInternal, street);
        var drafts = members
            .Where(m => unitsOf[m.Key].Count > 0)
            .Select(m => (Polygon: CascadedPolygonUnion.Union(m.Value.Select(b => blocks[b]).ToList()), Units: unitsOf[m.Key]))
            .OrderByDescending(d => d.Polygon.Centroid.Y).ThenBy(d => d.Polygon.Centroid.X)
            .ToList();
        var used = new Dictionary<string, int>();
        var result = new List<DerivedCommunity>();
        foreach (var (polygon, unitList) in drafts)
        {
            var name = CompoundName(units, unitList) ?? StreetName(polygon, streetTree) ?? $"{fallbackName} {result.Count + 1}";
            used[name] = used.GetValueOrDefault(name) + 1;
            if (used[name] > 1)
                name = $"{name} {used[name]}";
            result.Add(new DerivedCommunity(polygon, name, unitList.Sum(u => units[u].Households), unitList));
        }
        return result;
    }

    private static string? CompoundName(IReadOnlyList<DerivationUnit> units, List<int> members) =>
        members.Select(u => units[u]).Where(u => !string.IsNullOrWhiteSpace(u.CompoundName))
            .GroupBy(u => u.CompoundName!).MaxBy(g => (g.Max(u => u.CompoundArea), g.Key))?.Key;

    private static string? StreetName(Geometry polygon, STRtree<NamedLine> streets)
    {
        var prepared = NetTopologySuite.Geometries.Prepared.PreparedGeometryFactory.Prepare(polygon);
        var lengths = new Dictionary<string, double>();
        foreach (var street in streets.Query(polygon.EnvelopeInternal))
        {
            if (!prepared.Intersects(street.Line))
                continue;
            var inside = prepared.ContainsProperly(street.Line) ? street.Line : street.Line.Intersection(polygon);
            lengths[street.Name] = lengths.GetValueOrDefault(street.Name) + inside.Length;
        }
        return lengths.Count == 0 ? null : lengths.MaxBy(l => (l.Value, l.Key)).Key;
    }
}
