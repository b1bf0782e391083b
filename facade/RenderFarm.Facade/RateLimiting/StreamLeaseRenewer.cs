using RenderFarm.State;
using StackExchange.Redis;

namespace RenderFarm.Facade.RateLimiting;

/// <summary>Renews the slots of the streams this facade holds open, so only a dead facade's lapse.</summary>
internal sealed partial class StreamLeaseRenewer(StreamSlots slots, TimeProvider time, ILogger<StreamLeaseRenewer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(StreamSlots.RenewEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await slots.RenewAsync();
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    RenewFailed(logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream slots not renewed, farm state unavailable: {Error}")]
    private static partial void RenewFailed(ILogger logger, string error);
}
