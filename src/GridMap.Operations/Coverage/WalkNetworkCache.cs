using System.Diagnostics;
using GridMap.Data;

using Microsoft.Extensions.Logging;

namespace GridMap.Operations.Coverage;

/// The walking network readers answer from, and the one way to rebuild it. Readers take <see cref="Current"/>
/// (or wait for the first build) and never build: a GET never writes. Rebuilds (the API's background worker,
/// an admin's explicit request) read the inputs, rebuild the graph or only re-aggregate units into areas,
/// bring the coverage and heatmap layers up to date in one transaction, then publish the new network in one
/// reference swap, so a reader sees the previous complete network until the new one is. Thread-safe; one
/// rebuild at a time per process, and the layer write holds an advisory lock shared with other instances and the CLI.
public sealed class WalkNetworkCache(CoverageStore store, ILogger<WalkNetworkCache> logger)
{
    private readonly SemaphoreSlim _rebuild = new(1, 1);
    private readonly TaskCompletionSource _firstBuild = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile WalkNetwork? _current;
    private long _graphBuilds;
    private long _aggregations;

    public WalkSettings Settings { get; init; } = new();

    /// The published network, or null before the first build.
    public WalkNetwork? Current => _current;

    /// Walking graphs built by this process so far (for tests: a grid edit must not add one).
    public long GraphBuilds => Interlocked.Read(ref _graphBuilds);

    /// Re-aggregations without a graph build (after a change of grids, communities or streets only).
    public long Aggregations => Interlocked.Read(ref _aggregations);

    /// The current network, waiting at most <paramref name="wait"/> for the first build; null if there is none by then.
    public async Task<WalkNetwork?> WaitForCurrentAsync(TimeSpan wait, CancellationToken ct)
    {
        if (_current is { } current)
            return current;
        try
        {
            await _firstBuild.Task.WaitAsync(wait, ct);
        }
        catch (TimeoutException)
        {
            // Nothing built yet: the caller answers 503 rather than building.
        }
        return _current;
    }

    /// Rebuilds and publishes. The graph is rebuilt when <paramref name="graphChanged"/> or nothing is built yet;
    /// otherwise only units' areas are re-read and the report re-aggregated. <paramref name="version"/> is the
    /// inputs version the result reflects (the highest change the caller heard of before reading); null takes
    /// the version read with the inputs.
    public async Task<WalkNetwork> RebuildAsync(bool graphChanged, long? version, CancellationToken ct)
    {
        await _rebuild.WaitAsync(ct);
        try
        {
            var started = Stopwatch.StartNew();
            var previous = _current;
            var network = graphChanged || previous is null ? null : await ReaggregateAsync(previous, version, ct);
            if (network is null)
            {
                network = await BuildAndStoreAsync(store, Settings, version is { } v ? Math.Max(v, previous?.Version ?? 0) : null, ct);
                Interlocked.Increment(ref _graphBuilds);
                logger.LogInformation("Walking network version {Version}: {Roads} roads, {Stations} stations, {Units} units in {Ms} ms",
                    network.Version, network.Inputs.Roads.Count, network.Inputs.Stations.Count, network.Inputs.Units.Count,
                    started.ElapsedMilliseconds);
            }
            _current = network;
            _firstBuild.TrySetResult();
            return network;
        }
        finally
        {
            _rebuild.Release();
        }
    }

    private async Task<WalkNetwork?> ReaggregateAsync(WalkNetwork previous, long? version, CancellationToken ct)
    {
        var areas = await store.ReadUnitAreasAsync(ct);
        var next = Math.Max(version ?? await store.ReadInputsVersionAsync(ct), previous.Version);
        if (previous.WithAreas(areas, next) is not { } network)
            return null;
        await store.MarkLayersVersionAsync(next, ct);
        Interlocked.Increment(ref _aggregations);
        logger.LogInformation("Walking network version {Version}: areas re-aggregated, graph kept", next);
        return network;
    }

    /// Reads the inputs, computes coverage and writes the coverage and heatmap layers (also the CLI's explicit
    /// rebuild). <paramref name="version"/>: the version to record, else the sequence's value read with the inputs.
    // The sequence advances when a write happens, not when it commits, so the value read may count a change
    // still in flight; the worker passes the highest version notified (notifications arrive at commit) instead.
    public static async Task<WalkNetwork> BuildAndStoreAsync(CoverageStore store, WalkSettings settings, long? version,
        CancellationToken ct)
    {
        var inputs = await store.ReadInputsAsync(ct);
        if (version is { } known)
            inputs = inputs with { Version = known };
        var network = WalkNetwork.Build(inputs, settings);
        await store.WriteResultsAsync(network.CoverageRows(), network.Heatmap, network.Version, ct);
        return network;
    }
}
