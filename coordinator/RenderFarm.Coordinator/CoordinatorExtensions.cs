using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using RenderFarm.Coordinator.Assets;
using RenderFarm.Coordinator.Diagnostics;
using RenderFarm.Coordinator.Gateway;
using RenderFarm.Coordinator.Leasing;
using RenderFarm.Coordinator.Scheduling;
using RenderFarm.Coordinator.Storage;
using RenderFarm.Coordinator.Webhooks;
using RenderFarm.Egress;
using RenderFarm.Hosting;
using RenderFarm.State;
using RenderFarm.Storage;
using RenderFarm.Views;

namespace RenderFarm.Coordinator;

/// <summary>Registration of the coordinator component.</summary>
public static class CoordinatorExtensions
{
    /// <summary>Adds the node gateway, dispatcher, lease reaper and their state; listens h2c on the coordinator port.</summary>
    public static WebApplicationBuilder AddCoordinator(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CoordinatorOptions>().BindConfiguration(CoordinatorOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.HeartbeatInterval > TimeSpan.Zero && o.HeartbeatInterval * 2 <= o.LeaseTtl,
                "HeartbeatInterval must be positive and at most half of LeaseTtl")
            .ValidateOnStart();
        services.AddFarmState();
        services.AddObjectStore(builder.Configuration);
        services.AddGrpc(o => o.EnableDetailedErrors = false);
        services.AddSingleton<NodeRegistry>();
        services.AddSingleton<NodeMessageHandler>();
        services.AddSingleton<ChunkedRenders>();
        services.AddHostedService<Dispatcher>();
        services.AddHostedService<LeaseReaper>();
        services.AddHostedService<ControlRelay>();
        services.AddHostedService<GatewayShutdown>();
        services.AddWebhookSender();
        services.AddSingleton<ProductionViews>();
        services.AddSingleton<AssetResolver>();
        services.AddHostedService<RetentionSweeper>();
        services.AddHostedService<DeletedAssetSweeper>();
        services.AddHostedService<FarmGauges>();

        builder.AddFarmHosting<CoordinatorOptions>("coordinator", CoordinatorOptions.Section, o =>
        [
            new(o.BindAddress, o.Port, HttpProtocols.Http2),
            o.MetricsPort > 0 ? new(o.BindAddress, o.MetricsPort, HttpProtocols.Http1) : null,
        ]).AddRedisReadiness();
        return builder;
    }

    private static void AddWebhookSender(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section)
            .Validate(o => o.SigningSecret.Length >= 32, $"{WebhookOptions.Section}:SigningSecret must be at least 32 characters")
            .Validate(o => o.MaxAttempts >= 1 && o.BatchSize >= 1 && o.Timeout > TimeSpan.Zero && o.FirstRetryDelay > TimeSpan.Zero
                && o.ClaimTimeout > o.Timeout, $"{WebhookOptions.Section}: MaxAttempts, BatchSize, Timeout and FirstRetryDelay must be positive; ClaimTimeout must exceed Timeout")
            .ValidateOnStart();
        services.AddHttpClient(WebhookSender.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            // Webhook URLs may carry receivers' tokens; the default loggers would write them out.
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var guard = new DestinationGuard(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowedHosts);
                return new SocketsHttpHandler
                {
                    // A proxy would make the connect callback vet the proxy instead of the receiver.
                    UseProxy = false,
                    AllowAutoRedirect = false,
                    ConnectCallback = guard.ConnectAsync,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                };
            });
        services.AddHostedService<WebhookSender>();
    }

    /// <summary>Maps the node gateway, /healthz, /readyz and /metrics.</summary>
    public static WebApplication MapCoordinator(this WebApplication app)
    {
        app.MapFarmHosting();
        app.MapGrpcService<NodeGatewayService>();
        return app;
    }
}
