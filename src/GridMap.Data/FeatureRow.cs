namespace GridMap.Data;

/// One stored feature as JSON pieces ready to write: GeoJSON geometry and a properties object (with id).
public sealed record FeatureRow(long Id, int Version, string GeometryJson, string PropertiesJson);
