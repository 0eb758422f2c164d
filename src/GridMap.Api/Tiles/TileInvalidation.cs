using System.Collections.Concurrent;
using System.Threading.Channels;
using Npgsql;

namespace GridMap.Api.Tiles;

/// LISTENs on gridmap_tiles (filled by the triggers of Schema/004_tiles.sql) and evicts the cached tiles
/// each change touches, so writes through the API, imports, psql and other instances all evict. After a
/// lost connection it evicts every tile, since changes may have been missed meanwhile.
/// <see cref="SyncAsync"/> waits until every change committed before it was handled: the API calls it
/// after a write so that the writer's next tile request already shows the change.
public sealed class TileInvalidation(NpgsqlDataSource dataSource, TileCache cache, ILogger<TileInvalidation> logger)
    : BackgroundService
{
    public const string Channel = "gridmap_tiles";
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromSeconds(3);

    private readonly Channel<string> _queue = System.Threading.Channels.Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _syncs = new();
    private volatile bool _listening;
    private long _handled;

    /// Notifications handled so far (for tests and the benchmark).
    public long Handled => Interlocked.Read(ref _handled);

    public bool Listening => _listening;

    public async Task SyncAsync(CancellationToken ct)
    {
        if (!_listening)
            return;
        var token = Guid.NewGuid().ToString("N");
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _syncs[token] = done;
        try
        {
            await using var command = dataSource.CreateCommand($"SELECT pg_notify('{Channel}', $1)");
            command.Parameters.AddWithValue("sync " + token);
            await command.ExecuteNonQueryAsync(ct);
            await done.Task.WaitAsync(SyncTimeout, ct);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("Tile eviction did not catch up within {Timeout}", SyncTimeout);
        }
        catch (Exception e)
        {
            // Best effort: the write is committed and must be answered as done; a listener that lost the
            // database evicts every tile when it reconnects.
            logger.LogWarning("Tile eviction sync failed: {Message}", e.Message);
        }
        finally
        {
            _syncs.TryRemove(token, out _);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var consumer = Task.Run(() => ConsumeAsync(stoppingToken), stoppingToken);
        var connectionString = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString) { Pooling = false, KeepAlive = 15 }.ConnectionString;
        var connectedBefore = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // CloneWith keeps the data source's password, which its ConnectionString leaves out.
                await using var connection = dataSource.CreateConnection().CloneWith(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => _queue.Writer.TryWrite(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                if (connectedBefore)
                    _queue.Writer.TryWrite("* *");
                connectedBefore = true;
                _listening = true;
                while (true)
                    await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                _listening = false;
                logger.LogWarning("Tile eviction listener lost the database, retrying: {Message}", e.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        _listening = false;
        _queue.Writer.TryComplete();
        await consumer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task ConsumeAsync(CancellationToken ct)
    {
        await foreach (var payload in _queue.Reader.ReadAllAsync(ct))
        {
            if (payload.StartsWith("sync ", StringComparison.Ordinal))
            {
                if (_syncs.TryGetValue(payload[5..], out var done))
                    done.TrySetResult();
                continue;
            }
            try
            {
                await cache.EvictAsync(payload, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Evicting tiles for '{Payload}' failed", payload);
            }
            Interlocked.Increment(ref _handled);
        }
    }
}
