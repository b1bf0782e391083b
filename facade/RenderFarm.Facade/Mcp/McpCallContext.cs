using Grpc.Core;

namespace RenderFarm.Facade.Mcp;

/// <summary>
/// The call context an MCP tool hands the gRPC service implementation it runs: the MCP request's
/// HttpContext (which carries the authenticated caller) under the key Grpc.AspNetCore's
/// <c>GetHttpContext()</c> reads for contexts it did not create.
/// </summary>
internal sealed class McpCallContext : ServerCallContext
{
    private readonly HttpContext _http;
    private readonly string _method;
    private readonly CancellationToken _cancellationToken;

    public McpCallContext(HttpContext http, string method, CancellationToken cancellationToken)
    {
        (_http, _method, _cancellationToken) = (http, method, cancellationToken);
        UserState["__HttpContext"] = http;
    }

    protected override string MethodCore => _method;

    protected override string HostCore => _http.Request.Host.Value ?? "";

    protected override string PeerCore => $"mcp:{_http.Connection.RemoteIpAddress}";

    protected override DateTime DeadlineCore => DateTime.MaxValue;

    protected override Metadata RequestHeadersCore { get; } = [];

    protected override CancellationToken CancellationTokenCore => _cancellationToken;

    protected override Metadata ResponseTrailersCore { get; } = [];

    protected override Status StatusCore { get; set; }

    protected override WriteOptions? WriteOptionsCore { get; set; }

    protected override AuthContext AuthContextCore { get; } = new(null, []);

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) =>
        throw new NotSupportedException("MCP tool calls do not propagate to child calls");

    // Tools answer with a tool result, not gRPC response headers.
    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
}
