using Grpc.Core;
using Grpc.Core.Interceptors;
using RenderFarm.Contracts;
using StackExchange.Redis;

namespace RenderFarm.Facade.Requests;

/// <summary>
/// While Redis is unreachable every call fails the same clear way: UNAVAILABLE (HTTP 503) with
/// reason STATE_UNAVAILABLE, which clients may retry, instead of an opaque internal error. Any other
/// failure no one foresaw is INTERNAL with reason INTERNAL: details go to the log, not to the caller.
/// </summary>
internal sealed partial class StateOutageInterceptor(ILogger<StateOutageInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (IsOutage(e))
        {
            throw Outage(context, e);
        }
        catch (Exception e) when (IsUnexpected(e, context))
        {
            throw Internal(context, e);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (IsOutage(e))
        {
            throw Outage(context, e);
        }
        catch (Exception e) when (IsUnexpected(e, context))
        {
            throw Internal(context, e);
        }
    }

    /// <summary>Whether <paramref name="e"/> means Redis could not be reached.</summary>
    public static bool IsOutage(Exception e) => e is RedisException or RedisTimeoutException || (e is TimeoutException && e.Source == "StackExchange.Redis");

    /// <summary>The error callers get during an outage.</summary>
    public static RpcException Unavailable() =>
        Problems.Unavailable(ErrorReasons.StateUnavailable, "the farm's state store is unreachable; retry shortly");

    private RpcException Outage(ServerCallContext context, Exception e)
    {
        StateUnavailable(logger, context.Method, e.Message);
        return Unavailable();
    }

    private static bool IsUnexpected(Exception e, ServerCallContext context) =>
        e is not RpcException && !(e is OperationCanceledException && context.CancellationToken.IsCancellationRequested);

    private RpcException Internal(ServerCallContext context, Exception e)
    {
        var traceId = context.GetHttpContext().TraceIdentifier;
        Failed(logger, e, context.Method, traceId);
        return Problems.Build(StatusCode.Internal, ErrorReasons.Internal, $"internal error (trace {traceId}); it was logged",
            new Dictionary<string, string> { ["traceId"] = traceId });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} failed unexpectedly (trace {TraceId})")]
    private static partial void Failed(ILogger logger, Exception exception, string method, string traceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} failed: state store unreachable: {Error}")]
    private static partial void StateUnavailable(ILogger logger, string method, string error);
}
