using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using RenderFarm.Contracts;
using RenderFarm.Facade.Assets;
using RenderFarm.Facade.Auth;
using RenderFarm.Facade.Mcp;
using RenderFarm.Facade.Nodes;
using RenderFarm.Facade.OpenApi;
using RenderFarm.Facade.Paging;
using RenderFarm.Facade.Plans;
using RenderFarm.Facade.Productions;
using RenderFarm.Facade.RateLimiting;
using RenderFarm.Facade.Requests;
using RenderFarm.Facade.Sse;
using RenderFarm.Facade.Templates;
using RenderFarm.Facade.Ui;
using RenderFarm.Facade.Usage;
using RenderFarm.Hosting;
using RenderFarm.State;
using RenderFarm.Storage;
using RenderFarm.Storage.FileSystem;
using RenderFarm.Views;

namespace RenderFarm.Facade;

/// <summary>Registration of the public API component.</summary>
public static class FacadeExtensions
{
    /// <summary>Adds the public gRPC services with JSON transcoding, SSE, storage URLs, health and metrics; listens on the REST and gRPC ports.</summary>
    public static WebApplicationBuilder AddFacade(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<FacadeOptions>().BindConfiguration(FacadeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddFarmState();
        services.AddObjectStore(builder.Configuration);
        services.AddGrpc(o =>
        {
            o.EnableDetailedErrors = false;
            o.Interceptors.Add<StateOutageInterceptor>();
        }).AddJsonTranscoding(o =>
        {
            // Error bodies carry ErrorInfo/BadRequest details; the formatter needs their descriptors.
            o.TypeRegistry = TypeRegistry.FromMessages(Problems.DetailDescriptors);
            // proto3 JSON: 64-bit integers as strings (as SSE and the OpenAPI document say), safe in JavaScript.
            o.JsonSettings.WriteInt64sAsStrings = true;
        });
        services.AddSingleton<ProductionViews>();
        services.AddSingleton<ReferenceChecks>();
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section);
        services.AddOptions<AssetOptions>().BindConfiguration(AssetOptions.Section)
            .Validate(o => o.MaxBytes > 0 && o.UploadUrlTtl > TimeSpan.Zero, $"{AssetOptions.Section}: MaxBytes and UploadUrlTtl must be positive")
            .ValidateOnStart();
        services.AddSingleton<ProductionWatcher>();
        services.AddSingleton<FinishedProductions>();
        services.AddHostedService(sp => sp.GetRequiredService<FinishedProductions>());
        services.AddSingleton<ProductionCreator>();
        services.AddPlans();
        services.AddFacadeOpenApi();
        services.AddGrpcReflection();
        services.AddApiKeys();
        services.AddRateLimits();
        services.AddUsage();
        services.AddSingleton<PageTokens>();
        services.AddTemplates();
        services.AddFarmMcp(builder.Configuration);
        builder.AddFarmHosting<FacadeOptions>("facade", FacadeOptions.Section, o =>
        [
            new(o.BindAddress, o.RestPort, HttpProtocols.Http1),
            new(o.BindAddress, o.GrpcPort, HttpProtocols.Http2),
        ]).AddRedisReadiness();
        // grpc.health.v1 reports the same checks as /readyz.
        services.AddGrpcHealthChecks();
        return builder;
    }

    /// <summary>Maps the API, SSE, object URLs, the MCP server, the dashboard at /ui, /healthz, /readyz and /metrics.</summary>
    public static WebApplication MapFacade(this WebApplication app)
    {
        app.MapFarmHosting();
        // Both run after routing (WebApplication adds it first) so the gRPC metadata is on the endpoint;
        // the key is checked before anything reads the body.
        app.UseMiddleware<ApiKeyGate>();
        app.UseMiddleware<QueryValidation>();
        app.UseMiddleware<JsonBodyValidation>();
        app.UseMiddleware<FinishedProductionReads>();
        app.MapGrpcService<ProductionApi>();
        app.MapGrpcService<PlanApi>();
        app.MapGrpcService<AssetApi>();
        app.MapGrpcReflectionService();
        app.MapGrpcHealthChecksService();
        app.MapOpenApi();
        app.MapGrpcService<KeyApi>();
        app.MapGrpcService<UsageApi>();
        app.MapGrpcService<NodeApi>();
        app.MapGrpcService<TemplateApi>();
        app.MapProductionEvents();
        app.MapObjectStore();
        app.MapFarmMcp();
        app.MapDashboard();
        return app;
    }
}
