using NetTopologySuite.Geometries;

namespace GridMap.Osm;

public sealed record OsmRoad(string? Name, string Highway, bool Bridge, LineString Wgs84);

/// Residential tells whether the building type holds homes; `yes` counts only inside a compound.
public sealed record OsmBuilding(string OsmId, string Type, int Levels, bool Residential, Geometry Wgs84);

public sealed record OsmArea(string OsmId, string? Name, Geometry Wgs84);

public sealed record OsmStation(string OsmId, string Name, string Kind, Geometry Wgs84);
