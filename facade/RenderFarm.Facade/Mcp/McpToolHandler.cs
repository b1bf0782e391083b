using System.Text.Json;
using Grpc.Core;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Prometheus;
using RenderFarm.Contracts;
using RenderFarm.Facade.Auth;
using RenderFarm.Facade.Diagnostics;
using RenderFarm.Facade.RateLimiting;
using RenderFarm.Facade.Requests;

namespace RenderFarm.Facade.Mcp;

/// <summary>
/// Answers tools/list and tools/call. The request reached here through <see cref="ApiKeyGate"/>
/// (the key authenticated, one read charged), so the caller is on the HttpContext; each call then
/// needs the scope of its tool's RPC, draws one write from the key's bucket when the RPC is a write,
/// or holds a stream slot while a wait runs, exactly as that RPC would over REST or gRPC. Any API
/// error becomes a tool error carrying its code, reason and field path.
/// </summary>
internal sealed partial class McpToolHandler(McpTools tools, IHttpContextAccessor accessor, RateLimits limits, ILogger<McpToolHandler> logger)
{
    private static readonly Counter Calls = Metrics.CreateCounter("renderfarm_mcp_tool_calls_total",
        "MCP tool calls answered, by tool and outcome (OK or the gRPC code of the tool error).", "tool", "code");

    public ValueTask<ListToolsResult> ListAsync() => ValueTask.FromResult(new ListToolsResult { Tools = tools.Definitions });

    public async ValueTask<CallToolResult> CallAsync(RequestContext<CallToolRequestParams> context, CancellationToken ct)
    {
        var request = context.Params;
        var name = request?.Name ?? "";
        var tool = tools.Find(name) ?? throw new McpProtocolException($"unknown tool '{name}'; tools/list names them", McpErrorCode.InvalidParams);
        var http = accessor.HttpContext ?? throw new InvalidOperationException("an MCP tool ran outside its HTTP request");
        try
        {
            var caller = Tenancy.Caller(http);
            AccessTable.For(tool.Method).Demand(caller, tool.Method);
            var arguments = JsonSerializer.SerializeToElement(request?.Arguments ?? new Dictionary<string, JsonElement>());
            var call = new McpCall(http, caller, arguments, tool.Method, Progress(context, ct), ct);
            var result = await RunAsync(tool, call);
            Calls.WithLabels(tool.Name, "OK").Inc();
            return McpResults.Success(result);
        }
        catch (RpcException e)
        {
            return Refused(tool, e);
        }
        catch (Exception e) when (StateOutageInterceptor.IsOutage(e))
        {
            return Refused(tool, StateOutageInterceptor.Unavailable());
        }
    }

    private async Task<System.Text.Json.Nodes.JsonObject> RunAsync(McpTool tool, McpCall call)
    {
        switch (tool.Budget)
        {
            case Budget.Write:
                if (await limits.TakeAsync(call.Http, call.Caller, Budget.Write) is { Allowed: false } rate)
                {
                    throw RateLimits.Refusal(rate, Budget.Write);
                }

                return await tool.RunAsync(call);
            case Budget.Stream:
                var open = await limits.OpenStreamAsync(call.Http, call.Caller);
                if (open is { Allowed: false })
                {
                    throw RateLimits.Refusal(open);
                }

                await using (open?.Slot)
                {
                    FacadeMetrics.OpenStreams.Inc();
                    try
                    {
                        return await tool.RunAsync(call);
                    }
                    finally
                    {
                        FacadeMetrics.OpenStreams.Dec();
                    }
                }

            default:
                // The read was charged when the request came in.
                return await tool.RunAsync(call);
        }
    }

    // Progress notifications go out on the POST's own response stream, so a stateless server can send them.
    private static Func<double, string, Task> Progress(RequestContext<CallToolRequestParams> context, CancellationToken ct)
    {
        if (context.Params?.ProgressToken is not { } token)
        {
            return (_, _) => Task.CompletedTask;
        }

        return async (progress, message) => await context.Server.NotifyProgressAsync(token,
            new ProgressNotificationValue { Progress = (float)progress, Total = 1, Message = message }, cancellationToken: ct);
    }

    private CallToolResult Refused(McpTool tool, RpcException e)
    {
        var reason = e.GetErrorInfo()?.Reason ?? e.StatusCode.ToString();
        ToolFailed(logger, tool.Name, reason);
        Calls.WithLabels(tool.Name, e.StatusCode.ToString()).Inc();
        return McpResults.Error(e);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MCP tool {Tool} answered an error: {Reason}")]
    private static partial void ToolFailed(ILogger logger, string tool, string reason);
}
