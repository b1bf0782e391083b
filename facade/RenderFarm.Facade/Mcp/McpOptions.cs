namespace RenderFarm.Facade.Mcp;

/// <summary>The MCP server at <c>/mcp</c> on the REST port.</summary>
public sealed class McpOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RenderFarm:Mcp";

    /// <summary>Whether <c>/mcp</c> is served.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The longest a tool call may block: wait_for_production's timeout and plan_canvas's wait for previews are capped at this.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromMinutes(5);
}
