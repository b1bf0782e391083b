using Grpc.Core;
using Grpc.Net.Client;
using RenderFarm.Contracts.V1;
using RenderFarm.Testing;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>A node speaking the gateway protocol by hand, so a test can misbehave on purpose (never heartbeat, lie in results).</summary>
internal sealed class RawNode : IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private readonly AsyncDuplexStreamingCall<NodeMessage, CoordinatorMessage> _call;

    private RawNode(GrpcChannel channel, AsyncDuplexStreamingCall<NodeMessage, CoordinatorMessage> call)
    {
        _channel = channel;
        _call = call;
    }

    public static Task<RawNode> ConnectAsync(TestFarm farm, string nodeId) =>
        ConnectAsync(farm, new NodeHello { NodeId = nodeId, Slots = 1, Capabilities = new NodeCapabilities { Encoders = { "libx264" } } });

    /// <summary>Connects with the given hello, to <paramref name="coordinatorUrl"/> or the farm's coordinator.</summary>
    public static async Task<RawNode> ConnectAsync(TestFarm farm, NodeHello hello, string? coordinatorUrl = null)
    {
        var channel = GrpcChannel.ForAddress(coordinatorUrl ?? farm.Host.CoordinatorUrl);
        var call = new NodeGateway.NodeGatewayClient(channel).Connect(new Metadata { { "authorization", $"Bearer {farm.Host.NodeToken}" } });
        var node = new RawNode(channel, call);
        await node.SendAsync(new NodeMessage { Hello = hello });
        Assert.Equal(CoordinatorMessage.KindOneofCase.Welcome, (await node.NextAsync(_ => true)).KindCase);
        return node;
    }

    public Task SendAsync(NodeMessage message) => _call.RequestStream.WriteAsync(message);

    /// <summary>The next coordinator message that matches, skipping others.</summary>
    public async Task<CoordinatorMessage> NextAsync(Func<CoordinatorMessage, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (await _call.ResponseStream.MoveNext(timeout.Token))
        {
            if (match(_call.ResponseStream.Current))
            {
                return _call.ResponseStream.Current;
            }
        }

        throw new InvalidOperationException("the coordinator closed the stream");
    }

    public async Task<Assignment> NextAssignmentAsync() => (await NextAsync(m => m.KindCase == CoordinatorMessage.KindOneofCase.Assign)).Assign;

    public async Task<ResultAck> NextAckAsync() => (await NextAsync(m => m.KindCase == CoordinatorMessage.KindOneofCase.Ack)).Ack;

    /// <summary>Reports an assignment done, with an output under its own object key.</summary>
    public Task SucceedAsync(Assignment assignment) => SendAsync(new NodeMessage
    {
        Result = new RenderResult
        {
            ProductionId = assignment.ProductionId,
            LeaseToken = assignment.LeaseToken,
            Output = new RenderOutput { ObjectKey = assignment.ObjectKey, Duration = 1, Width = 160, Height = 120, ContentType = "video/mp4" },
        },
    });

    public async ValueTask DisposeAsync()
    {
        await _call.RequestStream.CompleteAsync();
        _call.Dispose();
        _channel.Dispose();
    }
}
