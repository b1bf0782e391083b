using System.Buffers.Text;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Facade.Auth;
using RenderFarm.State;

namespace RenderFarm.Facade.Nodes;

/// <summary>NodeService (admin scope, enforced by ApiKeyGate through Access): lists the nodes the coordinators record, drains one through its coordinator, and counts the queues.</summary>
internal sealed partial class NodeApi(NodeDirectory directory, QueueCensus census, ILogger<NodeApi> logger) : NodeService.NodeServiceBase
{
    private static readonly TimeSpan MaxDrainTimeout = TimeSpan.FromHours(24);

    // Records read for priorities per census; past it whole queues count as "unknown".
    private const int PriorityReadLimit = 5000;

    private static readonly string[] PriorityOrder = ["high", "normal", "low", "unknown"];

    public override async Task<ListNodesResponse> ListNodes(ListNodesRequest request, ServerCallContext context)
    {
        if (request.PageSize < 0)
        {
            throw Problems.InvalidArgument("pageSize", ErrorReasons.OutOfRange, "must not be negative");
        }

        if (!TryDecode(request.PageToken, out var after))
        {
            throw Problems.InvalidArgument("pageToken", ErrorReasons.InvalidPageToken, "is not a token this API returned");
        }

        var size = request.PageSize == 0 ? 50 : Math.Min(request.PageSize, 100);
        var (nodes, more) = await directory.ListAsync(size, after);
        var response = new ListNodesResponse { NextPageToken = more ? Encode(nodes[^1].Id) : "" };
        response.Nodes.Add(nodes.Select(ToResource));
        return response;
    }

    public override async Task<Node> DrainNode(DrainNodeRequest request, ServerCallContext context)
    {
        TimeSpan? timeout = null;
        if (request.DrainTimeout is { } given)
        {
            var t = given.ToTimeSpan();
            if (t <= TimeSpan.Zero || t > MaxDrainTimeout)
            {
                throw Problems.InvalidArgument("drainTimeout", ErrorReasons.OutOfRange, "must be positive and at most 24 hours");
            }

            timeout = t;
        }

        var node = await directory.GetAsync(request.Id) ?? throw Problems.NotFound(ErrorReasons.NodeNotFound, "nodes", request.Id);
        if (!await directory.RequestDrainAsync(node.Id, timeout))
        {
            throw Problems.NotFound(ErrorReasons.NodeNotFound, "nodes", request.Id);
        }

        DrainRequested(logger, node.Id, node.CoordinatorId);
        var resource = ToResource(node);
        resource.State = Node.Types.State.Draining;
        return resource;
    }

    public override async Task<Queue> GetQueue(GetQueueRequest request, ServerCallContext context)
    {
        var snapshot = await census.TakeAsync(PriorityReadLimit);
        var queue = new Queue { Delayed = snapshot.Delayed, Running = snapshot.Running };
        queue.Waiting.Add(snapshot.Waiting
            .OrderBy(w => w.Key.Tenant, StringComparer.Ordinal)
            .ThenBy(w => Array.IndexOf(PriorityOrder, w.Key.Priority))
            .ThenBy(w => w.Key.Class, StringComparer.Ordinal)
            .Select(w => new QueueDepth { Tenant = w.Key.Tenant, Priority = w.Key.Priority, PlacementClass = w.Key.Class, Count = w.Value }));
        return queue;
    }

    private static Node ToResource(NodeRecord record)
    {
        var node = new Node
        {
            Id = record.Id,
            Name = $"nodes/{record.Id}",
            CoordinatorId = record.CoordinatorId,
            State = record.Draining ? Node.Types.State.Draining : Node.Types.State.Active,
            Slots = record.Hello.Slots,
            Capabilities = record.Hello.Capabilities ?? new NodeCapabilities(),
            ConnectTime = Timestamp.FromDateTimeOffset(record.Connected),
            LastHeartbeatTime = Timestamp.FromDateTimeOffset(record.LastHeartbeat),
            Version = record.Hello.Version,
        };
        node.RunningLeases.Add(record.Leases);
        node.Labels.Add(record.Hello.Labels);
        return node;
    }

    private static string Encode(string id) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(id));

    private static bool TryDecode(string token, out string after)
    {
        after = "";
        if (token.Length == 0)
        {
            return true;
        }

        try
        {
            after = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            return after.Length is > 0 and <= 128;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Drain of node {NodeId} sent to coordinator {CoordinatorId}")]
    private static partial void DrainRequested(ILogger logger, string nodeId, string coordinatorId);
}
