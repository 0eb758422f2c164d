using NetTopologySuite.Geometries;

namespace GridMap.Data;

/// A validated feature to write: WGS 84 geometry (null in a PATCH that keeps the geometry) and typed
/// property values (null = SQL NULL). Only the properties present are written.
public sealed record FeatureWrite(Geometry? Geometry, IReadOnlyDictionary<string, object?> Properties);

/// Who writes and why: kept in the grid history.
public sealed record WriteContext(string Actor, string? Reason);

public enum WriteOutcome { Done, NotFound, VersionMismatch }

public readonly record struct WriteResult(WriteOutcome Outcome, long Id, int Version);

/// A write the database refused because of the data (foreign key, check, not-null): names the property.
public sealed class FeatureRejectedException(string property, string message) : Exception(message)
{
    public string Property { get; } = property;
}
