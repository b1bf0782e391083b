using Microsoft.AspNetCore.Server.Kestrel.Core;
using RenderFarm.Hosting;
using RenderFarm.Node.Agent;
using RenderFarm.Node.Diagnostics;
using RenderFarm.Node.Media;
using RenderFarm.Node.Rendering;

namespace RenderFarm.Node;

/// <summary>Registration of the render node component.</summary>
public static class NodeExtensions
{
    /// <summary>Adds the agent that connects to the coordinator, with the renderer, media source and capability probe.</summary>
    public static IServiceCollection AddNode(this IServiceCollection services)
    {
        services.AddOptions<NodeOptions>().BindConfiguration(NodeOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.HasValidCoordinatorUrls, $"{NodeOptions.Section}:CoordinatorUrl must be one or more absolute http(s) URLs, separated by commas")
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddHttpClient(JobRunner.UploadClient, c => c.Timeout = TimeSpan.FromHours(1));
        services.AddMedia();
        services.AddRendering();
        services.AddNodeCapabilities();
        services.AddSingleton<JobRunner>();
        services.AddSingleton<NodeAgent>();
        services.AddHostedService(sp => sp.GetRequiredService<NodeAgent>());
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(6));
        return services;
    }

    /// <summary>A standalone node: the agent plus /healthz (the agent is connected), /readyz and /metrics on the node's metrics port.</summary>
    public static WebApplicationBuilder AddNodeHost(this WebApplicationBuilder builder)
    {
        builder.Services.AddNode();
        builder.AddFarmHosting<NodeOptions>("node", NodeOptions.Section, o =>
            [o.MetricsPort > 0 ? new("0.0.0.0", o.MetricsPort, HttpProtocols.Http1) : null])
            .AddCheck<AgentHealthCheck>("agent", tags: [FarmHostingExtensions.Live]);
        return builder;
    }

    /// <summary>Maps /healthz, /readyz and /metrics.</summary>
    public static WebApplication MapNode(this WebApplication app) => app.MapFarmHosting();
}
