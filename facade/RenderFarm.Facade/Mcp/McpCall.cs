using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using RenderFarm.Contracts;
using RenderFarm.Facade.Auth;
using RenderFarm.Facade.Requests;

namespace RenderFarm.Facade.Mcp;

/// <summary>
/// One call of an MCP tool by an authenticated caller: reads its arguments as the request message
/// of an RPC (checked like a REST body, so a wrong field is named by its path) and runs the RPC's
/// own service implementation, through the interceptor the gRPC pipeline puts around it.
/// </summary>
internal sealed class McpCall(HttpContext http, Caller caller, JsonElement arguments, string method, Func<double, string, Task> progress, CancellationToken cancellationToken)
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default);

    public HttpContext Http => http;

    public Caller Caller => caller;

    /// <summary>The full name of the RPC the tool stands for.</summary>
    public string Method => method;

    public IServiceProvider Services => http.RequestServices;

    public CancellationToken CancellationToken => cancellationToken;

    /// <summary>Reports progress (0..1) with a message to the client, when it asked for notifications (a progress token).</summary>
    public Func<double, string, Task> ReportProgressAsync => progress;

    /// <summary>The arguments as a <typeparamref name="T"/>, leaving out the tool's <paramref name="extras"/>; INVALID_ARGUMENT naming the field at fault.</summary>
    public T Request<T>(MessageDescriptor descriptor, params string[] extras) where T : IMessage, new()
    {
        var body = new JsonObject();
        if (arguments.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in arguments.EnumerateObject().Where(p => !extras.Contains(p.Name)))
            {
                body[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            }
        }

        using var document = JsonDocument.Parse(body.ToJsonString());
        var violations = JsonBodyWalker.Check(document.RootElement, descriptor);
        if (violations.Count > 0)
        {
            throw Problems.InvalidArgument(violations);
        }

        try
        {
            return Parser.Parse<T>(body.ToJsonString());
        }
        catch (InvalidProtocolBufferException e)
        {
            throw Problems.InvalidArgument("", ErrorReasons.InvalidType, e.Message);
        }
    }

    /// <summary>A number argument in [0, <paramref name="max"/>] seconds, or <paramref name="fallback"/> when absent.</summary>
    public TimeSpan Seconds(string name, TimeSpan fallback, TimeSpan max)
    {
        if (arguments.ValueKind != JsonValueKind.Object || !arguments.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback > max ? max : fallback;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds) || seconds < 0 || double.IsNaN(seconds))
        {
            throw Problems.InvalidArgument(name, ErrorReasons.InvalidType, "must be a number of seconds, 0 or more");
        }

        if (seconds > max.TotalSeconds)
        {
            throw Problems.InvalidArgument(name, ErrorReasons.OutOfRange, $"must be at most {max.TotalSeconds} (RenderFarm:Mcp:MaxWait)");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Runs <paramref name="rpc"/> of the gRPC service <typeparamref name="TApi"/> as the caller.</summary>
    public Task<TResponse> InvokeAsync<TApi, TRequest, TResponse>(TRequest request, Func<TApi, TRequest, ServerCallContext, Task<TResponse>> rpc)
        where TRequest : class
        where TResponse : class
    {
        var api = ActivatorUtilities.GetServiceOrCreateInstance<TApi>(Services);
        var interceptor = ActivatorUtilities.GetServiceOrCreateInstance<StateOutageInterceptor>(Services);
        return interceptor.UnaryServerHandler(request, Context(), (r, c) => rpc(api, r, c));
    }

    /// <summary>A call context for a service method named <paramref name="fullMethod"/> (default: the tool's own).</summary>
    public ServerCallContext Context(string? fullMethod = null) => new McpCallContext(http, fullMethod ?? method, cancellationToken);

    /// <summary>A message in proto3 JSON, as the REST API writes it (default values left out).</summary>
    public static JsonObject Json(IMessage message) => (JsonObject)JsonNode.Parse(Formatter.Format(message))!;
}
