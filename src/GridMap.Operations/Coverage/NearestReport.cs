using System.Text.Json.Nodes;
using GridMap.Geo;
using GridMap.Routing;

namespace GridMap.Operations.Coverage;

/// The JSON (as README documents it) for `GET /nearest` and `gridmap nearest`: the stations with walking time,
/// distance and route, and the grid at the point.
public static class NearestReport
{
    public static JsonObject Build(WalkNetwork network, IReadOnlyList<NearestStation> found, double speedMps,
        (long Id, string Name)? grid) => new()
        {
            ["stations"] = new JsonArray(found.Select(f => (JsonNode)new JsonObject
            {
                ["id"] = network.Inputs.Stations[f.Station].Id,
                ["name"] = network.Inputs.Stations[f.Station].Name,
                ["walk_seconds"] = Math.Round(f.Meters / speedMps, 1),
                ["distance_m"] = Math.Round(f.Meters, 1),
                ["route"] = GeoJson.ToNode(network.Graph!.Frame.Unproject(f.Route)),
            }).ToArray()),
            ["grid"] = grid is { } g ? new JsonObject { ["id"] = g.Id, ["name"] = g.Name } : null,
        };
}
