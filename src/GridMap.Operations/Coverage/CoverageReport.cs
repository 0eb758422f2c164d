using System.Globalization;
using System.Text.Json.Nodes;
using GridMap.Data;
using GridMap.Routing;

namespace GridMap.Operations.Coverage;

/// The JSON (as README documents it) for `GET /coverage` and `gridmap coverage --json`: households within each
/// threshold for the city, each street, community and grid, and the compounds left outside.
public static class CoverageReport
{
    public static JsonObject Build(WalkNetwork network, IReadOnlyList<int> minutes, double speedMps)
    {
        var inputs = network.Inputs;
        var limits = minutes.Select(m => m * 60.0).ToArray();
        double? Seconds(int unit) => network.UnitWalks[unit].Reached ? network.UnitWalks[unit].Meters / speedMps : null;

        JsonObject Within(IEnumerable<int> units)
        {
            var counts = new long[limits.Length];
            foreach (var u in units)
            {
                if (Seconds(u) is not { } s)
                    continue;
                for (var t = 0; t < limits.Length; t++)
                {
                    if (s <= limits[t])
                        counts[t] += inputs.Units[u].Households;
                }
            }
            var within = new JsonObject();
            for (var t = 0; t < limits.Length; t++)
                within[minutes[t].ToString(CultureInfo.InvariantCulture)] = counts[t];
            return within;
        }

        JsonArray Areas(IReadOnlyList<NamedArea> areas, Func<UnitInput, long?> areaOf)
        {
            var byArea = Enumerable.Range(0, inputs.Units.Count).Where(u => areaOf(inputs.Units[u]) is not null)
                .ToLookup(u => areaOf(inputs.Units[u])!.Value);
            return new JsonArray(areas.Select(a => (JsonNode)new JsonObject
            {
                ["id"] = a.Id,
                ["name"] = a.Name,
                ["households"] = byArea[a.Id].Sum(u => (long)inputs.Units[u].Households),
                ["within"] = Within(byArea[a.Id]),
            }).ToArray());
        }

        var all = Enumerable.Range(0, inputs.Units.Count).ToList();
        var farthest = limits.Max();
        var uncovered = new JsonArray();
        var compoundNames = inputs.Compounds.ToDictionary(c => c.Id);
        foreach (var group in all.Where(u => inputs.Units[u].CompoundId is not null).GroupBy(u => inputs.Units[u].CompoundId!.Value)
                     .OrderBy(g => g.Key))
        {
            var outside = group.Where(u => Seconds(u) is not { } s || s > farthest).ToList();
            if (outside.Count == 0 || !compoundNames.TryGetValue(group.Key, out var compound))
                continue;
            var worst = outside.Any(u => Seconds(u) is null) ? null : outside.Max(u => Seconds(u));
            // The reason that leaves the most of its households without a time (units without one only).
            var reason = outside.Where(u => Seconds(u) is null)
                .GroupBy(u => network.UnitWalks[u].Reason)
                .OrderByDescending(g => g.Sum(u => (long)inputs.Units[u].Households)).ThenBy(g => g.Key)
                .Select(g => WalkNetwork.ReasonName(g.Key)).FirstOrDefault();
            uncovered.Add(new JsonObject
            {
                ["id"] = compound.Id,
                ["name"] = compound.Name,
                ["households"] = outside.Sum(u => (long)inputs.Units[u].Households),
                ["walk_seconds"] = worst is { } w ? Math.Round(w, 1) : null,
                ["unreachable_reason"] = reason,
            });
        }

        return new JsonObject
        {
            ["speed_mps"] = speedMps,
            ["minutes"] = new JsonArray(minutes.Select(m => (JsonNode)m).ToArray()),
            ["total"] = new JsonObject
            {
                ["households"] = all.Sum(u => (long)inputs.Units[u].Households),
                ["within"] = Within(all),
            },
            ["streets"] = Areas(inputs.Streets, u => u.StreetId),
            ["communities"] = Areas(inputs.Communities, u => u.CommunityId),
            ["grids"] = Areas(inputs.Grids, u => u.GridId),
            ["uncovered_compounds"] = uncovered,
            ["unreached"] = Unreached(network),
            ["stations"] = inputs.Stations.Count,
            ["stations_on_network"] = network.StationsOnNetwork,
            ["stations_off_network"] = StationsOffNetwork(network),
        };
    }

    /// Units and households without a walking time, per reason; every reason is listed, with zeros.
    private static JsonObject Unreached(WalkNetwork network)
    {
        var unreached = new JsonObject();
        foreach (var reason in new[] { UnreachableReason.NoRoadNearby, UnreachableReason.Island, UnreachableReason.NoStationReachable })
        {
            var units = Enumerable.Range(0, network.UnitWalks.Count)
                .Where(u => !network.UnitWalks[u].Reached && network.UnitWalks[u].Reason == reason).ToList();
            unreached[WalkNetwork.ReasonName(reason)!] = new JsonObject
            {
                ["units"] = units.Count,
                ["households"] = units.Sum(u => (long)network.Inputs.Units[u].Households),
            };
        }
        return unreached;
    }

    private static JsonArray StationsOffNetwork(WalkNetwork network) =>
        new(Enumerable.Range(0, network.Inputs.Stations.Count)
            .Where(s => s < network.StationReasons.Count && network.StationReasons[s] != UnreachableReason.None)
            .Select(s => (JsonNode)new JsonObject
            {
                ["id"] = network.Inputs.Stations[s].Id,
                ["name"] = network.Inputs.Stations[s].Name,
                ["unreachable_reason"] = WalkNetwork.ReasonName(network.StationReasons[s]),
            }).ToArray());
}
