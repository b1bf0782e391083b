using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RenderFarm.State;

/// <summary>Registers the Redis connection and the state stores.</summary>
public static class StateServiceCollectionExtensions
{
    /// <summary>Adds the state stores: productions, leases, events, control, plans, nodes, the webhook outbox, the output index and assets.</summary>
    public static IServiceCollection AddFarmState(this IServiceCollection services)
    {
        services.AddOptions<StateOptions>().BindConfiguration(StateOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Configuration), $"{StateOptions.Section}:Configuration is required")
            .ValidateOnStart();
        services.AddOptions<TenantOptions>().BindConfiguration(TenantOptions.Section);
        services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.IsValid(out _), $"{SchedulerOptions.Section}: RetryBackoffBase must be positive and RetryBackoffMax at least RetryBackoffBase")
            .ValidateOnStart();
        services.AddOptions<ChunkingOptions>().BindConfiguration(ChunkingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IConnectionMultiplexer>(sp =>
        {
            var config = ConfigurationOptions.Parse(sp.GetRequiredService<IOptions<StateOptions>>().Value.Configuration);
            // Keep retrying while Redis restarts instead of failing the process.
            config.AbortOnConnectFail = false;
            // Replies complete on the .NET thread pool rather than SE.Redis's own dedicated pool:
            // profiled under load on few cores, that pool's spinning workers took about a sixth of
            // the facade's CPU (Pipelines.Sockets.Unofficial.DedicatedThreadPoolPipeScheduler).
            config.SocketManager = SocketManager.ThreadPool;
            return ConnectionMultiplexer.Connect(config);
        });
        services.TryAddSingleton<ProductionStore>();
        services.TryAddSingleton<LeaseStore>();
        services.TryAddSingleton<ProductionEvents>();
        services.TryAddSingleton<ControlBus>();
        services.TryAddSingleton<PlanStore>();
        services.TryAddSingleton<RenderCalibration>();
        services.TryAddSingleton<NodeDirectory>();
        services.TryAddSingleton<WebhookOutbox>();
        services.TryAddSingleton<OutputIndex>();
        services.TryAddSingleton<AssetStore>();
        services.TryAddSingleton<QueueCensus>();
        return services;
    }
}
