namespace GridMap.Data;

/// <summary>A <see cref="LocalCluster"/> step failed; <see cref="Evidence"/> holds the tool's output and the tail of the server log.</summary>
public sealed class LocalClusterException(string message, string evidence)
    : Exception(evidence.Length == 0 ? message : $"{message}{Environment.NewLine}{evidence}")
{
    /// <summary>Output of the failing command and the last lines of the server log, as far as there were any.</summary>
    public string Evidence { get; } = evidence;
}
