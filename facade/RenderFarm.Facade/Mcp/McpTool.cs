using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using RenderFarm.Facade.RateLimiting;

namespace RenderFarm.Facade.Mcp;

/// <summary>
/// One MCP tool: what agents see (name, description, input schema, hints), the RPC whose scope it
/// needs (<see cref="Auth.AccessTable"/>), the budget a call draws on, and what it does.
/// </summary>
internal sealed record McpTool(Tool Definition, string Method, Budget Budget, Func<McpCall, Task<JsonObject>> RunAsync)
{
    public string Name => Definition.Name;
}
