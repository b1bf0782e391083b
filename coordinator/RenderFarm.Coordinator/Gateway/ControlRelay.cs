using System.Globalization;
using RenderFarm.Contracts.V1;
using Microsoft.Extensions.Options;
using RenderFarm.State;
using StackExchange.Redis;

namespace RenderFarm.Coordinator.Gateway;

/// <summary>Forwards cancellations published by the scripts, and drains asked for by the facade, to the node when this coordinator holds its stream.</summary>
internal sealed partial class ControlRelay(
    ControlBus bus,
    NodeRegistry registry,
    NodeMessageHandler handler,
    IOptions<CoordinatorOptions> options,
    ILogger<ControlRelay> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await bus.SubscribeControlAsync(Relay);
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                SubscribeFailed(logger, e.Message);
                await Task.Delay(options.Value.DispatchPollInterval, stoppingToken);
            }
        }
    }

    private void Relay(ControlMessage message)
    {
        if (message.IsDrain)
        {
            if (registry.Find(message.Node) is { } node)
            {
                _ = DrainAsync(node, message.TimeoutMs);
            }

            return;
        }

        if (registry.Find(message.Node) is { } session && long.TryParse(message.Token, CultureInfo.InvariantCulture, out var token))
        {
            session.Cancel(message.Id, token, message.Reason);
            registry.Wake();
        }
    }

    private async Task DrainAsync(NodeSession session, long timeoutMs)
    {
        handler.Drain(session, TimeSpan.FromMilliseconds(timeoutMs));
        try
        {
            await handler.RecordAsync(session);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The next heartbeat records it.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Control channel subscription failed: {Error}")]
    private static partial void SubscribeFailed(ILogger logger, string error);
}
