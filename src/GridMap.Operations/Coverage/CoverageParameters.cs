using System.Globalization;

namespace GridMap.Operations.Coverage;

/// The ranges of the coverage parameters that `GET /coverage`, `GET /nearest` and the `gridmap coverage`
/// and `nearest` commands accept, with one parser each, so that the API and the CLI refuse the same input.
public static class CoverageParameters
{
    public const int MaxMinutes = 120;
    public const int MaxK = 50;
    public const double MaxSpeedMps = 3;
    public static readonly IReadOnlyList<int> DefaultMinutes = [5, 10, 15];

    /// `5,10,15`: distinct whole minutes from 1 to 120, at most 10, ascending; empty text gives 5, 10, 15.
    /// Returns null and the reason when the text is not that.
    public static IReadOnlyList<int>? ParseMinutes(string text, out string? error)
    {
        error = null;
        if (text.Length == 0)
            return DefaultMinutes;
        var minutes = new List<int>();
        foreach (var part in text.Split(','))
        {
            if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var m) || m < 1 || m > MaxMinutes)
            {
                error = $"minutes must be a comma-separated list of whole minutes from 1 to {MaxMinutes}, not '{text}'.";
                return null;
            }
            minutes.Add(m);
        }
        if (minutes.Count > 10)
        {
            error = "minutes takes at most 10 values.";
            return null;
        }
        return minutes.Distinct().Order().ToList();
    }

    /// Walking speed in m/s: above 0 and at most <see cref="MaxSpeedMps"/>.
    public static bool TryParseSpeed(string text, out double speedMps) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out speedMps) && speedMps > 0 && speedMps <= MaxSpeedMps;

    /// How many stations to list: 1 to <see cref="MaxK"/>.
    public static bool TryParseK(string text, out int k) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out k) && k >= 1 && k <= MaxK;
}
