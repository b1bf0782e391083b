using System.Collections.Concurrent;
using System.Threading.Channels;
using RenderFarm.Contracts.V1;
using RenderFarm.State;

namespace RenderFarm.Coordinator.Gateway;

/// <summary>One connected node: what it can do, what it runs, and the outbox its stream writer drains.</summary>
internal sealed class NodeSession(NodeHello hello, DateTimeOffset connected)
{
    private readonly Channel<CoordinatorMessage> _outbox = Channel.CreateUnbounded<CoordinatorMessage>(new() { SingleReader = true });
    private readonly CancellationTokenSource _closed = new();

    public string NodeId { get; } = hello.NodeId;
    public NodeHello Hello { get; } = hello;

    /// <summary>Identifies this stream in the node directory, so a stale stream never removes a newer one's record.</summary>
    public string SessionId { get; } = Guid.NewGuid().ToString("N");

    public DateTimeOffset Connected { get; } = connected;

    /// <summary>What placements are matched against: GPUs, working encoders, labels.</summary>
    public NodeProfile Profile { get; } = new(hello.NodeId, hello.Capabilities?.Gpus.Count > 0,
        hello.Capabilities?.Encoders ?? [], hello.Labels);

    /// <summary>Assignments this node runs: production id → lease token.</summary>
    public ConcurrentDictionary<string, long> Active { get; } = new();

    /// <summary>What the node said in its last heartbeat.</summary>
    public bool Draining { get; set; }

    /// <summary>A drain was sent to the node; sticky, whatever an earlier heartbeat still says.</summary>
    public bool DrainRequested { get; set; }

    /// <summary>Cancelled when the coordinator ends the stream (shutdown, or the node reconnected elsewhere on this replica).</summary>
    public CancellationToken Closed => _closed.Token;

    public bool IsClosed => _closed.IsCancellationRequested;

    public int FreeSlots => Draining || DrainRequested || IsClosed ? 0 : Math.Max(0, Hello.Slots - Active.Count);

    public ChannelReader<CoordinatorMessage> Outbox => _outbox.Reader;

    public bool Send(CoordinatorMessage message) => _outbox.Writer.TryWrite(message);

    public void Close()
    {
        _outbox.Writer.TryComplete();
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Cancel(string productionId, long token, string reason)
    {
        Active.TryRemove(new KeyValuePair<string, long>(productionId, token));
        Send(new CoordinatorMessage { Cancel = new CancelAssignment { ProductionId = productionId, LeaseToken = token, Reason = reason } });
    }

    /// <summary>The record the node directory keeps of this session.</summary>
    public NodeRecord ToRecord(string coordinatorId, DateTimeOffset now) => new(
        NodeId, SessionId, coordinatorId, Hello, Connected, now, Draining || DrainRequested,
        [.. Active.Select(a => new LeaseRef { ProductionId = a.Key, LeaseToken = a.Value })]);
}
