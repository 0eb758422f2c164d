using GridMap.Data;

using Microsoft.Extensions.Logging;

namespace GridMap.Operations.Coverage;

/// The current WalkNetwork, rebuilt only when the inputs' version (advanced by database triggers on roads,
/// stations, units and areas) has moved since it was built; a rebuild also rewrites the coverage and
/// heatmap layers. Requests in between reuse the cached graph and results. Thread-safe.
public sealed class WalkNetworkCache(CoverageStore store, ILogger<WalkNetworkCache> logger)
{
    private readonly SemaphoreSlim _rebuild = new(1, 1);
    private WalkNetwork? _current;

    public WalkSettings Settings { get; init; } = new();

    public async Task<WalkNetwork> GetAsync(CancellationToken ct)
    {
        var version = await store.ReadInputsVersionAsync(ct);
        if (_current is { } current && current.Version == version)
            return current;
        await _rebuild.WaitAsync(ct);
        try
        {
            if (_current is { } again && again.Version == await store.ReadInputsVersionAsync(ct))
                return again;
            var started = System.Diagnostics.Stopwatch.StartNew();
            var network = await BuildAndStoreAsync(store, Settings, ct);
            logger.LogInformation("Walking network version {Version}: {Roads} roads, {Stations} stations, {Units} units in {Ms} ms",
                network.Version, network.Inputs.Roads.Count, network.Inputs.Stations.Count, network.Inputs.Units.Count,
                started.ElapsedMilliseconds);
            _current = network;
            return network;
        }
        finally
        {
            _rebuild.Release();
        }
    }

    /// Reads the inputs, computes coverage and writes the coverage and heatmap layers (also used by the CLI).
    public static async Task<WalkNetwork> BuildAndStoreAsync(CoverageStore store, WalkSettings settings, CancellationToken ct)
    {
        var inputs = await store.ReadInputsAsync(ct);
        var network = WalkNetwork.Build(inputs, settings);
        await store.WriteResultsAsync(network.CoverageRows(), network.Heatmap, ct);
        return network;
    }
}
