using NetTopologySuite.Geometries;

namespace GridMap.Data;

/// One stored feature: its geometry in the output CRS (outer rings counter-clockwise before any axis swap)
/// and its properties object (with id) as JSON text.
public sealed record FeatureRow(long Id, int Version, Geometry Geometry, string PropertiesJson);

/// One stored feature with its geometry already written as GeoJSON by PostGIS: the feature page fast path.
public sealed record GeoJsonFeatureRow(long Id, int Version, string GeometryJson, string PropertiesJson);
