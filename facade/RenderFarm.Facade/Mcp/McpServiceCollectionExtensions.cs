using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using RenderFarm.Contracts.V1;
using RenderFarm.Facade.Auth;
using RenderFarm.Facade.RateLimiting;

namespace RenderFarm.Facade.Mcp;

/// <summary>Registration of the MCP server at <c>/mcp</c>.</summary>
internal static class McpServiceCollectionExtensions
{
    /// <summary>The route of the MCP endpoint on the REST port.</summary>
    public const string Route = "/mcp";

    /// <summary>Whether <see cref="McpOptions.Enabled"/> holds in <paramref name="configuration"/>.</summary>
    public static bool McpEnabled(this IConfiguration configuration) =>
        configuration.GetValue($"{McpOptions.Section}:{nameof(McpOptions.Enabled)}", true);

    public static IServiceCollection AddFarmMcp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<McpOptions>().BindConfiguration(McpOptions.Section)
            .Validate(o => o.MaxWait > TimeSpan.Zero, $"{McpOptions.Section}:MaxWait must be positive")
            .ValidateOnStart();
        if (!configuration.McpEnabled())
        {
            return services;
        }

        services.AddHttpContextAccessor();
        services.AddSingleton<McpTools>();
        services.AddSingleton<McpToolHandler>();
        services.AddMcpServer(o =>
            {
                o.ServerInfo = new Implementation { Name = "renderfarm", Title = "RenderFarm", Version = "1.0.0" };
                o.ServerInstructions = """
                    RenderFarm renders videos from JSON canvases. The loop: plan_canvas (warnings, estimate, preview stills),
                    fix what the warnings name, render_plan with the plan's id and fingerprint, then wait_for_production until
                    it is SUCCEEDED and hand over its url. Errors name a reason code and the field path at fault.
                    """;
            })
            // Stateless: every POST stands alone, so any facade replica can answer it and no session needs affinity.
            .WithHttpTransport(o => o.SessionMode = HttpServerSessionMode.Stateless)
            .WithListToolsHandler((request, _) => request.Services!.GetRequiredService<McpToolHandler>().ListAsync())
            .WithCallToolHandler((request, ct) => request.Services!.GetRequiredService<McpToolHandler>().CallAsync(request, ct));
        return services;
    }

    /// <summary>Maps <c>/mcp</c> behind the API key gate: any key with PLAN or RENDER; each request draws one read.</summary>
    public static IEndpointRouteBuilder MapFarmMcp(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetRequiredService<IConfiguration>().McpEnabled())
        {
            // JSON-RPC has no REST shape: docs/mcp.md describes the endpoint, the OpenAPI document leaves it out.
            endpoints.MapMcp(Route)
                .WithMetadata(Access.Scope(ApiKey.Types.Scope.Plan, ApiKey.Types.Scope.Render), new BudgetMetadata(Budget.Read))
                .ExcludeFromDescription();
        }

        return endpoints;
    }
}
