using Grpc.Core;
using Grpc.Core.Interceptors;
using Prometheus;

namespace RenderFarm.Hosting;

/// <summary>
/// Counts finished gRPC calls by the status they ended with: the one in the trailers (native gRPC)
/// or behind the HTTP status (JSON transcoding), never the HTTP 200 a native call always answers.
/// Registered first, so it sees what every other interceptor made of the call.
/// </summary>
public sealed class GrpcCallMetrics(FarmComponent component) : Interceptor
{
    private static readonly Counter Handled = Metrics.CreateCounter("renderfarm_grpc_server_handled_total",
        "gRPC calls finished by the server, by component, service, method and status code (NotFound, ResourceExhausted, …).",
        "component", "grpc_service", "grpc_method", "grpc_code");

    /// <summary>Counts one call to <paramref name="fullMethod"/> (<c>/package.Service/Method</c>) ended with <paramref name="code"/>.</summary>
    public static void Count(string component, string fullMethod, StatusCode code)
    {
        var slash = fullMethod.LastIndexOf('/');
        var service = slash > 0 ? fullMethod[1..slash] : "";
        Handled.WithLabels(component, service, fullMethod[(slash + 1)..], code.ToString()).Inc();
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        CountedAsync(context, () => continuation(request, context));

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        CountedAsync(context, () => continuation(requestStream, context));

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        CountedAsync(context, async () =>
        {
            await continuation(request, responseStream, context);
            return true;
        });

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        CountedAsync(context, async () =>
        {
            await continuation(requestStream, responseStream, context);
            return true;
        });

    private async Task<T> CountedAsync<T>(ServerCallContext context, Func<Task<T>> call)
    {
        var code = StatusCode.Unknown;
        try
        {
            var result = await call();
            code = context.Status.StatusCode;
            return result;
        }
        catch (Exception e)
        {
            code = CodeOf(e, context);
            throw;
        }
        finally
        {
            Count(component.Name, context.Method, code);
        }
    }

    // What grpc-dotnet answers for the exception: its status, CANCELLED when the client went away,
    // else UNKNOWN (an unhandled exception).
    private static StatusCode CodeOf(Exception e, ServerCallContext context) => e switch
    {
        RpcException rpc => rpc.StatusCode,
        OperationCanceledException when context.CancellationToken.IsCancellationRequested => StatusCode.Cancelled,
        _ => StatusCode.Unknown,
    };
}
