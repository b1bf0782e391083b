using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts.V1;
using StackExchange.Redis;

namespace RenderFarm.State;

/// <summary>
/// The farm's view of its nodes: each coordinator records the nodes whose streams it holds (on
/// connect, on every heartbeat, on a drain), the facade lists them and routes drains through the
/// control channel to whichever coordinator holds the node.
/// </summary>
public sealed class NodeDirectory(IConnectionMultiplexer redis, IOptions<StateOptions> options, TimeProvider time)
{
    private readonly Keys _keys = new(options.Value.KeyPrefix);
    private IDatabase Db => redis.GetDatabase();

    /// <summary>
    /// Writes a node's record; it lapses after <paramref name="ttl"/> unless written again (a
    /// coordinator that died stops renewing it). Returns the drain an operator asked for (its
    /// timeout, <see cref="TimeSpan.Zero"/> for the node's own), or null when none was.
    /// </summary>
    public async Task<TimeSpan?> RecordAsync(NodeRecord node, TimeSpan ttl)
    {
        var drain = await Db.RunAsync("node_report", _keys.Prefix, time, node.Id, node.Session, node.CoordinatorId, node.Hello.ToByteArray(),
            node.Connected.ToUnixTimeMilliseconds(), node.Draining ? 1 : 0,
            string.Join(',', node.Leases.Select(l => FormattableString.Invariant($"{l.ProductionId}:{l.LeaseToken}"))),
            (long)ttl.TotalMilliseconds);
        return drain.IsNull ? null : TimeSpan.FromMilliseconds((long)drain);
    }

    /// <summary>Removes the record written by stream <paramref name="session"/>, unless a newer stream replaced it.</summary>
    public Task RemoveAsync(string nodeId, string session) => Db.RunAsync("node_leave", _keys.Prefix, time, nodeId, session);

    /// <summary>One node's record, or null when no coordinator holds it.</summary>
    public async Task<NodeRecord?> GetAsync(string nodeId) =>
        nodeId.Length is > 0 and <= 128 ? NodeRecord.FromHash(nodeId, await Db.HashGetAllAsync(_keys.Node(nodeId))) : null;

    /// <summary>Up to <paramref name="pageSize"/> nodes with ids after <paramref name="afterId"/>, ordered by id, and whether more follow.</summary>
    public async Task<(IReadOnlyList<NodeRecord> Nodes, bool More)> ListAsync(int pageSize, string afterId)
    {
        var ids = (await Db.SortedSetRangeByRankAsync(_keys.Nodes))
            .Select(v => (string)v!)
            .Where(id => string.CompareOrdinal(id, afterId) > 0)
            .Order(StringComparer.Ordinal)
            .ToList();
        var page = new List<NodeRecord>(pageSize);
        foreach (var id in ids)
        {
            if (page.Count == pageSize)
            {
                return (page, true);
            }

            if (await GetAsync(id) is { } node)
            {
                page.Add(node);
            }
        }

        return (page, false);
    }

    /// <summary>
    /// Asks whichever coordinator holds the node to drain it; null timeout means the node's own.
    /// The request is kept on the node's record, so it survives a lost control message. False when
    /// no coordinator holds the node.
    /// </summary>
    public async Task<bool> RequestDrainAsync(string nodeId, TimeSpan? timeout)
    {
        var ms = timeout is { } t ? (long)t.TotalMilliseconds : 0;
        var message = JsonSerializer.Serialize(new ControlMessage(nodeId, "", "0", "DRAIN", ControlMessage.DrainKind, ms), ControlJson.Default.ControlMessage);
        return (int)await Db.RunAsync("node_drain", _keys.Prefix, time, nodeId, ms, message) == 1;
    }
}

/// <summary>A node as the coordinator holding its stream last recorded it.</summary>
/// <param name="Id">Node id.</param>
/// <param name="Session">Id of the stream that wrote the record.</param>
/// <param name="CoordinatorId">Coordinator holding the stream.</param>
/// <param name="Hello">What the node announced: slots, capabilities, labels, version.</param>
/// <param name="Connected">When the stream opened.</param>
/// <param name="LastHeartbeat">When the record was last written.</param>
/// <param name="Draining">Whether the node takes no new work.</param>
/// <param name="Leases">Leases it runs.</param>
public sealed record NodeRecord(string Id, string Session, string CoordinatorId, NodeHello Hello, DateTimeOffset Connected,
    DateTimeOffset LastHeartbeat, bool Draining, IReadOnlyList<LeaseRef> Leases)
{
    internal static NodeRecord? FromHash(string id, HashEntry[] entries)
    {
        var h = entries.ToDictionary(e => (string)e.Name!, e => e.Value);
        if (!h.TryGetValue("hello", out var hello) || !h.TryGetValue("session", out var session))
        {
            return null;
        }

        var leases = ((string?)h.GetValueOrDefault("leases") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split(':'))
            .Where(p => p.Length == 2)
            .Select(p => new LeaseRef { ProductionId = p[0], LeaseToken = long.Parse(p[1], CultureInfo.InvariantCulture) })
            .ToList();
        return new NodeRecord(id, (string)session!, (string?)h.GetValueOrDefault("coordinator") ?? "",
            NodeHello.Parser.ParseFrom((byte[])hello!),
            DateTimeOffset.FromUnixTimeMilliseconds((long)h.GetValueOrDefault("connected")),
            DateTimeOffset.FromUnixTimeMilliseconds((long)h.GetValueOrDefault("heartbeat")),
            (string?)h.GetValueOrDefault("draining") == "1",
            leases);
    }
}
