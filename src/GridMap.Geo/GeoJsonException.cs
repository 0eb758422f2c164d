namespace GridMap.Geo;

/// <summary>A GeoJSON text that is not valid GeoJSON for the purpose it was given; <see cref="Path"/> names where.</summary>
public sealed class GeoJsonException(string path, string message) : Exception(message)
{
    /// <summary>JSON path of the offending member, e.g. <c>geometry.coordinates[0][3]</c>.</summary>
    public string Path { get; } = path;
}
