using System.Collections.Concurrent;
using GridMap.Data;
using GridMap.Routing;
using NetTopologySuite.Geometries;

namespace GridMap.Operations.Coverage;

/// Walking defaults from the field figures: 4 km/h; a point farther than MaxSnapMeters from every road is off the network.
public sealed record WalkSettings(double SpeedMps = WalkSettings.DefaultSpeedMps, double MaxSnapMeters = 300, double HexWidthMeters = 100)
{
    public const double DefaultSpeedMps = 1.11;
}

/// One version of the walking network with its coverage pass done: the graph, the stations and units joined
/// to it, and every unit's metres to its nearest station. Distances are metres, so any speed is a division.
/// Immutable after Build; Nearest and Isochrone rent per-thread search buffers.
public sealed class WalkNetwork
{
    private readonly ConcurrentBag<NearestStations> _nearest = [];
    private readonly ConcurrentBag<ShortestPaths> _paths = [];
    private readonly ConcurrentDictionary<string, byte[]> _reports = new();
    private const int MaxKeptReports = 64;

    public long Version { get; }

    public CoverageInputs Inputs { get; }

    public WalkSettings Settings { get; }

    /// Null when there are no roads.
    public WalkingGraph? Graph { get; }

    public IReadOnlyList<Coordinate> StationMeters { get; }

    /// Per unit of Inputs.Units: metres to the nearest station and its index in Inputs.Stations.
    public IReadOnlyList<WalkResult> UnitWalks { get; }

    public IReadOnlyList<HeatmapCell> Heatmap { get; }

    public int StationsOnNetwork { get; }

    /// Per station of Inputs.Stations: None when it joined the network, else why not.
    public IReadOnlyList<UnreachableReason> StationReasons { get; }

    /// The names clients rely on for the reasons a unit or station has no walking time.
    public static string? ReasonName(UnreachableReason reason) => reason switch
    {
        UnreachableReason.NoRoadNearby => "no_road_within_300m",
        UnreachableReason.Island => "island",
        UnreachableReason.NoStationReachable => "no_station_reachable",
        _ => null,
    };

    /// The coverage report as JSON bytes, made once per (minutes, speed) for this version of the data:
    /// the summary is what dashboards poll, and building it is most of a request's cost.
    public byte[] CoverageReportJson(IReadOnlyList<int> minutes, double speedMps)
    {
        var key = string.Join(',', minutes) + "@" + speedMps.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        if (_reports.TryGetValue(key, out var kept))
            return kept;
        var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(CoverageReport.Build(this, minutes, speedMps));
        if (_reports.Count < MaxKeptReports)
            _reports.TryAdd(key, json);
        return json;
    }

    private WalkNetwork(CoverageInputs inputs, WalkSettings settings, WalkingGraph? graph, IReadOnlyList<Coordinate> stationMeters,
        IReadOnlyList<WalkResult> unitWalks, IReadOnlyList<HeatmapCell> heatmap, int stationsOnNetwork,
        IReadOnlyList<UnreachableReason> stationReasons)
    {
        Version = inputs.Version;
        Inputs = inputs;
        Settings = settings;
        Graph = graph;
        StationMeters = stationMeters;
        UnitWalks = unitWalks;
        Heatmap = heatmap;
        StationsOnNetwork = stationsOnNetwork;
        StationReasons = stationReasons;
    }

    public static WalkNetwork Build(CoverageInputs inputs, WalkSettings settings)
    {
        if (inputs.Roads.Count == 0)
        {
            var nowhere = WalkResult.Unreached with { Reason = UnreachableReason.NoRoadNearby };
            return new WalkNetwork(inputs, settings, null, [], inputs.Units.Select(_ => nowhere).ToList(), [], 0,
                inputs.Stations.Select(_ => UnreachableReason.NoRoadNearby).ToList());
        }
        var graph = WalkingGraph.Build(inputs.Roads);
        var frame = graph.Frame;
        var stations = inputs.Stations.Select(s => frame.Project(s.Lon, s.Lat)).ToList();
        var units = inputs.Units.Select(u => frame.Project(u.Lon, u.Lat)).ToList();
        var coverage = new WalkCoverage(graph, settings.MaxSnapMeters);
        var onNetwork = coverage.RunFrom(stations);
        var walks = units.Select(coverage.Evaluate).ToList();
        var heatmap = BuildHeatmap(graph, coverage, units, inputs.Units, settings);
        return new WalkNetwork(inputs, settings, graph, stations, walks, heatmap, onNetwork, [.. coverage.StationReasons]);
    }

    /// This network with the units' areas (grid, community, street) and the area lists replaced and the given
    /// version: a grid edit changes which grid a unit counts in, not the graph nor any walk. Null when the
    /// units themselves differ (a building was added or removed meanwhile): then only a rebuild will do.
    public WalkNetwork? WithAreas(UnitAreas areas, long version)
    {
        if (areas.Units.Count != Inputs.Units.Count)
            return null;
        for (var i = 0; i < areas.Units.Count; i++)
        {
            if (areas.Units[i].BuildingId != Inputs.Units[i].BuildingId || areas.Units[i].CompoundId != Inputs.Units[i].CompoundId)
                return null;
        }
        var inputs = Inputs with
        {
            Version = version,
            Units = areas.Units,
            Compounds = areas.Compounds,
            Grids = areas.Grids,
            Communities = areas.Communities,
            Streets = areas.Streets,
        };
        return new WalkNetwork(inputs, Settings, Graph, StationMeters, UnitWalks, Heatmap, StationsOnNetwork, StationReasons);
    }

    /// Hexagons over the network: those whose centre joins the network or that hold households.
    private static List<HeatmapCell> BuildHeatmap(WalkingGraph graph, WalkCoverage coverage, List<Coordinate> units,
        IReadOnlyList<UnitInput> unitInputs, WalkSettings settings)
    {
        var extent = new Envelope();
        foreach (var road in graph.Roads)
            extent.ExpandToInclude(road.EnvelopeInternal);
        var hex = new HexGrid(extent, settings.HexWidthMeters);
        var households = new Dictionary<int, int>();
        for (var i = 0; i < units.Count; i++)
        {
            var cell = hex.CellOf(units[i]);
            if (cell >= 0)
                households[cell] = households.GetValueOrDefault(cell) + unitInputs[i].Households;
        }
        var factory = new GeometryFactory(new PrecisionModel(), graph.Frame.Srid);
        var cells = new List<HeatmapCell>();
        for (var cell = 0; cell < hex.Count; cell++)
        {
            var walk = coverage.Evaluate(hex.Centre(cell));
            var count = households.GetValueOrDefault(cell);
            if (!walk.Reached && count == 0 && graph.Snap(hex.Centre(cell), settings.MaxSnapMeters) is null)
                continue;
            double? seconds = walk.Reached ? Math.Round(walk.Meters / settings.SpeedMps, 1) : null;
            cells.Add(new HeatmapCell(cell + 1, seconds, count, graph.Frame.Unproject(hex.Polygon(cell, factory))));
        }
        return cells;
    }

    /// Per-building rows of the coverage layer at the default speed.
    public IReadOnlyList<CoverageRow> CoverageRows()
    {
        var rows = new List<CoverageRow>();
        for (var i = 0; i < Inputs.Units.Count; i++)
        {
            if (Inputs.Units[i].BuildingId is not { } building)
                continue;
            var walk = UnitWalks[i];
            rows.Add(walk.Reached
                ? new CoverageRow(building, Inputs.Stations[walk.Station].Id, Math.Round(walk.Meters / Settings.SpeedMps, 1))
                : new CoverageRow(building, null, null, ReasonName(walk.Reason)));
        }
        return rows;
    }

    /// The k nearest stations from a WGS 84 point; null when the point is off the network.
    public IReadOnlyList<NearestStation>? Nearest(double lon, double lat, int k)
    {
        if (Graph is null)
            return null;
        if (!_nearest.TryTake(out var search))
            search = new NearestStations(Graph, StationMeters, Settings.MaxSnapMeters);
        try
        {
            return search.Find(Graph.Frame.Project(lon, lat), k);
        }
        finally
        {
            _nearest.Add(search);
        }
    }

    /// Isochrone polygons (WGS 84) of station index for each budget in metres; null when the station is off the network.
    public IReadOnlyList<Geometry>? Isochrones(int station, IReadOnlyList<double> budgetsMeters)
    {
        if (Graph is null || Graph.Snap(StationMeters[station], Settings.MaxSnapMeters, Graph.IsMainRoad) is not { } start)
            return null;
        if (!_paths.TryTake(out var paths))
            paths = new ShortestPaths(Graph);
        try
        {
            return budgetsMeters.Select(b => Graph.Frame.Unproject(Isochrone.Compute(paths, start, b, Math.Min(100, Settings.MaxSnapMeters))))
                .ToList();
        }
        finally
        {
            _paths.Add(paths);
        }
    }
}
