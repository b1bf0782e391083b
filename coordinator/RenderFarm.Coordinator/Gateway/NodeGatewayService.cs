using System.Security.Cryptography;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Coordinator.Diagnostics;
using RenderFarm.State;

namespace RenderFarm.Coordinator.Gateway;

/// <summary>
/// The node stream: authenticates the node, registers its session, and turns its heartbeats,
/// progress and results into lease operations. Writes go through the session's outbox so only
/// one task ever writes to the response stream.
/// </summary>
internal sealed partial class NodeGatewayService(
    NodeRegistry registry,
    NodeMessageHandler handler,
    NodeDirectory directory,
    TimeProvider time,
    IOptions<CoordinatorOptions> options,
    ILogger<NodeGatewayService> logger) : NodeGateway.NodeGatewayBase
{
    public override async Task Connect(IAsyncStreamReader<NodeMessage> requestStream, IServerStreamWriter<CoordinatorMessage> responseStream, ServerCallContext context)
    {
        Authenticate(context);
        if (registry.ShuttingDown)
        {
            throw ShutdownStatus();
        }

        var ct = context.CancellationToken;
        if (!await requestStream.MoveNext(ct) || requestStream.Current.KindCase != NodeMessage.KindOneofCase.Hello)
        {
            throw Problems.FailedPrecondition(ErrorReasons.HelloRequired, "the first message on a node stream must be a hello");
        }

        var hello = requestStream.Current.Hello;
        if (string.IsNullOrWhiteSpace(hello.NodeId) || hello.NodeId.Length > 128 || hello.Slots is < 1 or > 256)
        {
            throw Problems.InvalidArgument("hello.nodeId", ErrorReasons.InvalidHello, "a node needs an id (≤ 128 chars) and 1..256 slots");
        }

        var session = new NodeSession(hello, time.GetUtcNow());
        var o = options.Value;
        session.Send(new CoordinatorMessage
        {
            Welcome = new Welcome
            {
                CoordinatorId = o.Id,
                HeartbeatInterval = Duration.FromTimeSpan(o.HeartbeatInterval),
                LeaseTtl = Duration.FromTimeSpan(o.LeaseTtl),
            },
        });
        await handler.AdoptAsync(session, hello.Leases);
        // Recorded before the dispatcher sees it, so a drain asked for earlier applies first.
        await RecordAsync(session);
        registry.Add(session);
        CoordinatorMetrics.ConnectedNodes.Set(registry.Count);
        NodeConnected(logger, hello.NodeId, hello.Slots, string.Join(',', hello.Capabilities?.Encoders ?? []));

        using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(ct, session.Closed);
        var writer = WriteAsync(session, responseStream, done.Token);
        try
        {
            while (await requestStream.MoveNext(reading.Token))
            {
                await handler.HandleAsync(session, requestStream.Current);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException || (e is RpcException r && r.StatusCode == StatusCode.Cancelled))
        {
            // The node went away (its leases lapse unless it reconnects and claims them), or this
            // coordinator closed the stream.
        }
        finally
        {
            registry.Remove(session);
            session.Close();
            // Messages already queued (acks, cancels) still go out before the stream ends.
            await writer.WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await done.CancelAsync();
            await writer;
            CoordinatorMetrics.ConnectedNodes.Set(registry.Count);
            NodeDisconnected(logger, hello.NodeId, session.Active.Count);
            await ForgetAsync(session);
        }

        if (registry.ShuttingDown && !ct.IsCancellationRequested)
        {
            throw ShutdownStatus();
        }
    }

    // The directory is for operators (ListNodes); a Redis hiccup here must not cost the node its stream.
    private async Task RecordAsync(NodeSession session)
    {
        try
        {
            await handler.RecordAsync(session);
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            // The next heartbeat writes it.
        }
    }

    private async Task ForgetAsync(NodeSession session)
    {
        try
        {
            await directory.RemoveAsync(session.NodeId, session.SessionId);
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            // The record lapses on its own.
        }
    }

    /// <summary>What a node hears when this coordinator stops: reconnect to another replica now, no backoff.</summary>
    private static RpcException ShutdownStatus() =>
        Problems.Unavailable(ErrorReasons.CoordinatorShutdown, "the coordinator is shutting down; reconnect to another replica");

    private void Authenticate(ServerCallContext context)
    {
        var header = context.RequestHeaders.GetValue("authorization") ?? "";
        var presented = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : "";
        var expected = Encoding.UTF8.GetBytes(options.Value.NodeToken);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), expected))
        {
            throw Problems.Unauthenticated(ErrorReasons.NodeTokenInvalid, "the node token is missing or wrong");
        }
    }

    private static async Task WriteAsync(NodeSession session, IServerStreamWriter<CoordinatorMessage> stream, CancellationToken ct)
    {
        try
        {
            await foreach (var message in session.Outbox.ReadAllAsync(ct))
            {
                await stream.WriteAsync(message, ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // Stream closed under us; the reader side ends the session.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeId} connected with {Slots} slots, encoders {Encoders}")]
    private static partial void NodeConnected(ILogger logger, string nodeId, int slots, string encoders);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeId} disconnected holding {Leases} leases")]
    private static partial void NodeDisconnected(ILogger logger, string nodeId, int leases);
}
