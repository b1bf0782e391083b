using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Prometheus;
using RenderFarm.Coordinator.Gateway;
using RenderFarm.Coordinator.Leasing;
using RenderFarm.Coordinator.Scheduling;
using RenderFarm.State;
using RenderFarm.Storage;

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
        services.AddFileSystemObjectStore();
        services.AddGrpc(o => o.EnableDetailedErrors = false);
        services.AddSingleton<NodeRegistry>();
        services.AddSingleton<NodeMessageHandler>();
        services.AddHostedService<Dispatcher>();
        services.AddHostedService<LeaseReaper>();
        services.AddHostedService<ControlRelay>();
        services.AddHostedService<GatewayShutdown>();

        var options = builder.Configuration.GetSection(CoordinatorOptions.Section).Get<CoordinatorOptions>() ?? new();
        builder.WebHost.ConfigureKestrel(k =>
        {
            var address = IPAddress.Parse(options.BindAddress);
            k.Listen(address, options.Port, l => l.Protocols = HttpProtocols.Http2);
            if (options.MetricsPort > 0)
            {
                k.Listen(address, options.MetricsPort, l => l.Protocols = HttpProtocols.Http1);
            }
        });
        return builder;
    }

    /// <summary>Maps the node gateway, /healthz and /metrics.</summary>
    public static WebApplication MapCoordinator(this WebApplication app)
    {
        app.MapGrpcService<NodeGatewayService>();
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
        app.MapMetrics();
        return app;
    }
}
