using NetTopologySuite.Geometries;

namespace GridMap.Regions;

/// <summary>A residential unit to place in a grid: a building, or a compound where a community has no buildings.</summary>
/// <param name="Id">The building's (or compound's) id, reported in problems and grids.</param>
/// <param name="Households">Households living in the unit; zero or more.</param>
/// <param name="Location">A point inside the unit, in the same metric plane as the community.</param>
/// <param name="CompoundId">The compound the unit belongs to; units of one compound are kept in one grid where possible.</param>
public sealed record SplitUnit(long Id, int Households, Coordinate Location, long? CompoundId = null);

/// <summary>Bounds and search settings of a split.</summary>
/// <param name="MinHouseholds">Fewest households a grid may have (default <see cref="GridBounds.MinHouseholds"/>).</param>
/// <param name="MaxHouseholds">Most households a grid may have (default <see cref="GridBounds.MaxHouseholds"/>).</param>
/// <param name="Seed">Seed of the random spanning trees: the same seed and input give the same split.</param>
/// <param name="JoinSmallPockets">A pocket under the minimum behind a barrier joins a grid across it without being named
/// as a problem: right for a derived community, whose blocks were merged across barriers because they were too small.</param>
public sealed record SplitOptions(int MinHouseholds = GridBounds.MinHouseholds, int MaxHouseholds = GridBounds.MaxHouseholds, int Seed = 1,
    bool JoinSmallPockets = false);

/// <summary>Names of the reasons a community has no valid split.</summary>
public static class SplitCause
{
    /// <summary>The community has no residential units.</summary>
    public const string NoUnits = "no_units";
    /// <summary>The community's units have no households.</summary>
    public const string NoHouseholds = "no_households";
    /// <summary>A single unit has more households than a grid may have.</summary>
    public const string UnitOverMax = "unit_over_max";
    /// <summary>The whole community has fewer households than a grid needs.</summary>
    public const string CommunityUnderMin = "community_under_min";
    /// <summary>Units cut off by major roads or rivers have fewer households than a grid needs.</summary>
    public const string PocketUnderMin = "pocket_under_min";
    /// <summary>No number of grids k has ⌈H/max⌉ ≤ k ≤ ⌊H/min⌋ (e.g. 550 households with bounds 300–500).</summary>
    public const string NoGridCount = "no_grid_count";
    /// <summary>Bounds admit a grid count, but the search found no contiguous split within them.</summary>
    public const string SearchFailed = "search_failed";
}

/// <summary>Why a community has no valid split, and the units involved.</summary>
public sealed record SplitProblem(string Cause, IReadOnlyList<long> UnitIds);

/// <summary>One grid of a split, with its quality figures.</summary>
/// <param name="Index">Position in <see cref="SplitResult.Grids"/>; neighbours refer to it.</param>
/// <param name="Polygon">The union of its units' territories, in the community's metric plane.</param>
/// <param name="UnitIds">Ids of the units in the grid.</param>
/// <param name="Households">Sum of the units' households.</param>
/// <param name="AreaM2">Area in square metres.</param>
/// <param name="PolsbyPopper">Compactness 4πA/P², 1 for a circle.</param>
/// <param name="CompoundsCut">Compounds with units both in this grid and in another.</param>
/// <param name="BarriersCrossed">Major roads or rivers inside the grid (pairs of barrier-separated blocks it joins).</param>
/// <param name="Neighbors">Indexes of grids sharing a boundary with this one.</param>
/// <param name="Flagged">True when the grid breaks a bound or holds units named by a problem.</param>
public sealed record SplitGrid(int Index, Geometry Polygon, IReadOnlyList<long> UnitIds, int Households, double AreaM2,
    double PolsbyPopper, int CompoundsCut, int BarriersCrossed, IReadOnlyList<int> Neighbors, bool Flagged);

/// <summary>The grids of a split; when <see cref="Feasible"/> is false, the closest valid alternative and the named problems.</summary>
public sealed record SplitResult(bool Feasible, IReadOnlyList<SplitProblem> Problems, IReadOnlyList<SplitGrid> Grids);
