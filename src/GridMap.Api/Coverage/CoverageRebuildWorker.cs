using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using GridMap.Operations.Coverage;
using Npgsql;

namespace GridMap.Api.Coverage;

/// Keeps the walking network and the derived layers (coverage, heatmap) up to date, so that no reader has to:
/// LISTENs on gridmap_inputs (Schema/005_derived_layers.sql: 'TABLE VERSION' at every committed write to a
/// coverage input), waits for <see cref="CoverageTiming.Debounce"/> of quiet (at most
/// <see cref="CoverageTiming.MaxDelay"/> after the first change, so a steady stream of edits still gets
/// rebuilds), then rebuilds: the whole graph when roads, stations, buildings or compounds changed, only the
/// unit-to-area aggregation when just grids, communities or streets did. Builds once at start, and in full after
/// a lost connection (changes may have been missed meanwhile).
public sealed class CoverageRebuildWorker(NpgsqlDataSource dataSource, WalkNetworkCache cache, CoverageTiming timing,
    ILogger<CoverageRebuildWorker> logger) : BackgroundService
{
    public const string Channel = "gridmap_inputs";
    private const string Everything = "*";
    private static readonly HashSet<string> AreaTables = ["grids", "communities", "streets"];
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    private readonly Channel<string> _changes = System.Threading.Channels.Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private bool _graphChanged;
    private bool _urgent;
    private long? _version;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var rebuilds = Task.Run(() => RebuildLoopAsync(stoppingToken), stoppingToken);
        var connectionString = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString) { Pooling = false, KeepAlive = 15 }.ConnectionString;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // CloneWith keeps the data source's password, which its ConnectionString leaves out.
                await using var connection = dataSource.CreateConnection().CloneWith(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => _changes.Writer.TryWrite(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                // Listening before the first read: a change committed from here on is heard, one before is read.
                _changes.Writer.TryWrite(Everything);
                while (true)
                    await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning("Coverage input listener lost the database, retrying: {Message}", e.Message);
                await DelayAsync(RetryDelay, stoppingToken);
            }
        }
        _changes.Writer.TryComplete();
        await rebuilds.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RebuildLoopAsync(CancellationToken ct)
    {
        while (await _changes.Reader.WaitToReadAsync(ct))
        {
            Drain();
            if (!_urgent)
                await DebounceAsync(ct);
            var (graphChanged, version) = (_graphChanged, _version);
            (_graphChanged, _urgent, _version) = (false, false, null);
            try
            {
                await cache.RebuildAsync(graphChanged, version, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // Readers keep the previous network; try again in full, since this change is not in the layers yet.
                logger.LogWarning("Coverage rebuild failed, retrying in {Delay}: {Message}", RetryDelay, e.Message);
                await DelayAsync(RetryDelay, ct);
                _changes.Writer.TryWrite(Everything);
            }
        }
    }

    /// Waits until no change arrived for Debounce, or MaxDelay passed since the first one.
    private async Task DebounceAsync(CancellationToken ct)
    {
        var since = Stopwatch.StartNew();
        while (since.Elapsed < timing.MaxDelay)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(ct);
            quiet.CancelAfter(Min(timing.Debounce, timing.MaxDelay - since.Elapsed));
            try
            {
                if (!await _changes.Reader.WaitToReadAsync(quiet.Token))
                    return;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return;
            }
            Drain();
        }
    }

    private void Drain()
    {
        while (_changes.Reader.TryRead(out var payload))
        {
            var parts = payload.Split(' ');
            if (parts[0] == Everything)
            {
                (_graphChanged, _urgent) = (true, true);
                continue;
            }
            if (!AreaTables.Contains(parts[0]))
                _graphChanged = true;
            if (parts.Length > 1 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                _version = Math.Max(_version ?? 0, version);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static async Task DelayAsync(TimeSpan delay, CancellationToken ct) =>
        await Task.Delay(delay, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
}

/// `GridMap:CoverageDebounceMs` (default 500), `GridMap:CoverageMaxDelayMs` (5000) and
/// `GridMap:CoverageFirstBuildWaitSeconds` (30: how long a reader waits for the very first build before 503).
public sealed record CoverageTiming(TimeSpan Debounce, TimeSpan MaxDelay, TimeSpan FirstBuildWait)
{
    public static CoverageTiming From(IConfiguration configuration) => new(
        TimeSpan.FromMilliseconds(configuration.GetValue("GridMap:CoverageDebounceMs", 500)),
        TimeSpan.FromMilliseconds(configuration.GetValue("GridMap:CoverageMaxDelayMs", 5000)),
        TimeSpan.FromSeconds(configuration.GetValue("GridMap:CoverageFirstBuildWaitSeconds", 30)));
}
