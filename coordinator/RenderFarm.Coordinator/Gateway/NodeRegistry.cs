using System.Collections.Concurrent;

namespace RenderFarm.Coordinator.Gateway;

/// <summary>The node streams this coordinator holds, and the wake-up signal of its dispatcher.</summary>
internal sealed class NodeRegistry
{
    private readonly ConcurrentDictionary<string, NodeSession> _sessions = new();
    private readonly SemaphoreSlim _wake = new(0);

    public IEnumerable<NodeSession> Sessions => _sessions.Values;

    public int Count => _sessions.Count;

    /// <summary>The coordinator is stopping: no stream is accepted, and the open ones are being closed.</summary>
    public bool ShuttingDown { get; private set; }

    /// <summary>Refuses new streams and ends every open one, so their nodes reconnect to another replica at once.</summary>
    public void CloseAll()
    {
        ShuttingDown = true;
        foreach (var session in _sessions.Values)
        {
            session.Close();
        }
    }

    /// <summary>Registers a session; a node that reconnects replaces its old stream.</summary>
    public void Add(NodeSession session)
    {
        if (_sessions.TryGetValue(session.NodeId, out var old))
        {
            old.Close();
        }

        _sessions[session.NodeId] = session;
        Wake();
    }

    public void Remove(NodeSession session) =>
        _sessions.TryRemove(new KeyValuePair<string, NodeSession>(session.NodeId, session));

    public NodeSession? Find(string nodeId) => _sessions.GetValueOrDefault(nodeId);

    /// <summary>Asks the dispatcher to look at the queue now.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);
}
