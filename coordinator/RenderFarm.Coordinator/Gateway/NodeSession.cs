using System.Collections.Concurrent;
using System.Threading.Channels;
using RenderFarm.Contracts.V1;
using RenderFarm.State;

namespace RenderFarm.Coordinator.Gateway;

/// <summary>One connected node: what it can do, what it runs, and the outbox its stream writer drains.</summary>
internal sealed class NodeSession(NodeHello hello)
{
    private readonly Channel<CoordinatorMessage> _outbox = Channel.CreateUnbounded<CoordinatorMessage>(new() { SingleReader = true });

    public string NodeId { get; } = hello.NodeId;
    public NodeHello Hello { get; } = hello;

    /// <summary>What placements are matched against: GPUs, working encoders, labels.</summary>
    public NodeProfile Profile { get; } = new(hello.NodeId, hello.Capabilities?.Gpus.Count > 0,
        hello.Capabilities?.Encoders ?? [], hello.Labels);

    /// <summary>Assignments this node runs: production id → lease token.</summary>
    public ConcurrentDictionary<string, long> Active { get; } = new();

    public bool Draining { get; set; }

    public int FreeSlots => Draining ? 0 : Math.Max(0, Hello.Slots - Active.Count);

    public ChannelReader<CoordinatorMessage> Outbox => _outbox.Reader;

    public bool Send(CoordinatorMessage message) => _outbox.Writer.TryWrite(message);

    public void Close() => _outbox.Writer.TryComplete();

    public void Cancel(string productionId, long token, string reason)
    {
        Active.TryRemove(new KeyValuePair<string, long>(productionId, token));
        Send(new CoordinatorMessage { Cancel = new CancelAssignment { ProductionId = productionId, LeaseToken = token, Reason = reason } });
    }
}
