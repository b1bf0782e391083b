using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;

namespace RenderFarm.Facade.RateLimiting;

/// <summary>
/// Which of a key's budgets a call draws on: reads and writes from separate token buckets, and
/// long-lived streams from a cap on how many are open at once (an open stream is no load per second).
/// </summary>
internal enum Budget
{
    /// <summary>Get… and List… calls, GET routes.</summary>
    Read,

    /// <summary>Everything else that changes or computes something: create, cancel, delete, update, plan, render, drain.</summary>
    Write,

    /// <summary>Server streams: WatchProduction and the SSE events route.</summary>
    Stream,
}

/// <summary>Endpoint metadata naming the budget of a route outside gRPC (e.g. SSE).</summary>
internal sealed record BudgetMetadata(Budget Budget);

internal static class Budgets
{
    /// <summary>The budget a request to <paramref name="endpoint"/> draws on.</summary>
    public static Budget Of(Endpoint endpoint, string httpMethod)
    {
        if (endpoint.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is { } transcoded)
        {
            return Of(transcoded.MethodDescriptor);
        }

        if (endpoint.Metadata.GetMetadata<GrpcMethodMetadata>() is { } grpc)
        {
            return grpc.Method.Type is MethodType.ServerStreaming or MethodType.DuplexStreaming ? Budget.Stream : ByName(grpc.Method.Name);
        }

        return endpoint.Metadata.GetMetadata<BudgetMetadata>()?.Budget
            ?? (HttpMethods.IsGet(httpMethod) || HttpMethods.IsHead(httpMethod) ? Budget.Read : Budget.Write);
    }

    private static Budget Of(MethodDescriptor method) => method.IsServerStreaming ? Budget.Stream : ByName(method.Name);

    private static Budget ByName(string method) =>
        method.StartsWith("Get", StringComparison.Ordinal) || method.StartsWith("List", StringComparison.Ordinal) ? Budget.Read : Budget.Write;

    /// <summary>The budget's name in metrics and error metadata: reads, writes, streams.</summary>
    public static string Name(this Budget budget) => budget switch
    {
        Budget.Read => "reads",
        Budget.Write => "writes",
        _ => "streams",
    };
}
