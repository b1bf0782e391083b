namespace RenderFarm.Coordinator.Storage;

/// <summary>
/// The loop the storage sweepers share: sweep, wait <see cref="Interval"/>, again until the host
/// stops; a failed sweep is logged and retried on the next turn. A sweep takes ids from an index in
/// batches (<see cref="DrainAsync"/>) and handles each one; handling deletes objects before it
/// forgets the index entry, so a crash in between leaves work the next sweep finishes.
/// </summary>
internal abstract partial class PeriodicSweeper(TimeProvider time, ILogger logger) : BackgroundService
{
    private const int Batch = 100;

    /// <summary>Time between sweeps.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>False turns the sweeper off (it returns at once).</summary>
    protected virtual bool Enabled => true;

    /// <summary>Names the sweep in the failure log line.</summary>
    protected abstract string Name { get; }

    /// <summary>One sweep; returns how many entries it handled.</summary>
    internal abstract Task<int> SweepOnceAsync(CancellationToken ct);

    /// <summary>The clock sweeps compare against.</summary>
    protected TimeProvider Time => time;

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                SweepFailed(logger, Name, e.Message);
            }

            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Takes batches from <paramref name="next"/> and handles every id until a batch comes back short.</summary>
    protected static async Task<int> DrainAsync(Func<int, Task<IReadOnlyList<string>>> next, Func<string, Task> handle)
    {
        var handled = 0;
        while (true)
        {
            var ids = await next(Batch);
            foreach (var id in ids)
            {
                await handle(id);
                handled++;
            }

            if (ids.Count < Batch)
            {
                return handled;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Sweep} sweep failed: {Error}")]
    private static partial void SweepFailed(ILogger logger, string sweep, string error);
}
