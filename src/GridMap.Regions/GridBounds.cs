namespace GridMap.Regions;

/// <summary>
/// How many households a grid (网格) should hold: the one declaration that the split defaults, the API and the
/// command line, the style's range colours and the viewer's previews read.
/// </summary>
/// <remarks>Constants; thread-safe.</remarks>
public static class GridBounds
{
    /// <summary>Fewest households a grid should have.</summary>
    public const int MinHouseholds = 300;

    /// <summary>Most households a grid should have.</summary>
    public const int MaxHouseholds = 500;

    /// <summary>Whether <paramref name="households"/> lies within the bounds, both ends included.</summary>
    public static bool Contains(int households) => households is >= MinHouseholds and <= MaxHouseholds;
}
