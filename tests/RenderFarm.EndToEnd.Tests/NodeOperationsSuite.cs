using System.Net;
using NodeState = RenderFarm.Contracts.V1.Node.Types.State;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Testing;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>Operating nodes and coordinators: ListNodes, DrainNode, and a coordinator stopped mid-render.</summary>
public abstract partial class FarmSuite
{
    [Fact]
    public async Task DrainNode_OverRest_RunningRenderFinishes_AndNewWorkWaitsForAnotherNode()
    {
        await using var farm = await TestFarm.StartAsync(Server, nodes: 0);
        await farm.Host.StartNodeAsync("busy", new Dictionary<string, string?> { ["RenderFarm:Node:Labels:pool"] = "blue" });
        var first = await StartLongRenderAsync(farm, "busy", seconds: 4);

        var (status, drained) = await Rest.SendAsync(farm.Http, HttpMethod.Post, "/v1/nodes/busy:drain");
        Assert.True(status == HttpStatusCode.OK, drained?.ToJsonString());
        Assert.Equal("DRAINING", drained!["state"]!.GetValue<string>());
        Assert.Equal("nodes/busy", drained["name"]!.GetValue<string>());
        var listed = await Wait.ForAsync(async () =>
        {
            var (_, list) = await Rest.SendAsync(farm.Http, HttpMethod.Get, "/v1/nodes");
            var node = list?["nodes"]?.AsArray().SingleOrDefault(n => n!["id"]!.GetValue<string>() == "busy");
            // The node record's leases come from the coordinator's periodic report, which may trail the drain.
            var running = node?["runningLeases"]?.AsArray().Any(l => l!["productionId"]!.GetValue<string>() == first) == true;
            return node?["state"]?.GetValue<string>() == "DRAINING" && running ? node : null;
        }, TimeSpan.FromSeconds(30), "ListNodes to show the node DRAINING with its running lease");
        Assert.Equal("blue", listed["labels"]!["pool"]!.GetValue<string>());
        Assert.Contains(listed["capabilities"]!["encoders"]!.AsArray(), e => e!.GetValue<string>() == "libx264");
        Assert.Contains(listed["runningLeases"]!.AsArray(), l => l!["productionId"]!.GetValue<string>() == first);

        var second = (await Rest.CreateAsync(farm.Http, ColorCanvas("#224466")))["id"]!.GetValue<string>();
        var firstEvents = await Rest.ReadEventsAsync(farm.Http, first);
        var done = firstEvents[^1].Data["production"]!;
        Assert.Equal("SUCCEEDED", done["state"]!.GetValue<string>());
        Assert.Equal("busy", done["nodeId"]!.GetValue<string>());
        Assert.Equal(1, done["attempts"]!.GetValue<int>());
        Assert.Equal("QUEUED", (await Rest.GetAsync(farm.Http, second))["state"]!.GetValue<string>());

        // Only a node that is not draining takes the second one.
        await farm.Host.StartNodeAsync("spare");
        var secondEvents = await Rest.ReadEventsAsync(farm.Http, second);
        var secondDone = secondEvents[^1].Data["production"]!;
        Assert.Equal("SUCCEEDED", secondDone["state"]!.GetValue<string>());
        Assert.Equal("spare", secondDone["nodeId"]!.GetValue<string>());
        Assert.DoesNotContain(secondEvents, e => e.Data["production"]!["nodeId"]?.GetValue<string>() == "busy");
    }

    [Fact]
    public async Task DrainNode_OverGrpc_PastDrainTimeout_HandsTheLeaseBack()
    {
        await using var farm = await TestFarm.StartAsync(Server, nodes: 0);
        await farm.Host.StartNodeAsync("hasty");
        var id = await StartLongRenderAsync(farm, "hasty", seconds: 120);
        var nodes = new NodeService.NodeServiceClient(farm.Grpc);

        var before = await nodes.ListNodesAsync(new ListNodesRequest());
        var hasty = Assert.Single(before.Nodes);
        Assert.Equal(NodeState.Active, hasty.State);
        Assert.True(hasty.Capabilities.CpuCores > 0);
        Assert.Equal(1, hasty.Slots);

        var drained = await nodes.DrainNodeAsync(new DrainNodeRequest { Id = "hasty", DrainTimeout = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(300)) });
        Assert.Equal(NodeState.Draining, drained.State);

        var handedBack = await Wait.ForAsync(async () =>
        {
            var p = await Rest.GetAsync(farm.Http, id);
            return p["state"]!.GetValue<string>() == "QUEUED" ? p : null;
        }, TimeSpan.FromMinutes(1), "the lease to be handed back");
        Assert.Equal("NODE_SHUTDOWN", handedBack["error"]!["code"]!.GetValue<string>());
        Assert.Equal(1, handedBack["attempts"]!.GetValue<int>());
        await Wait.UntilAsync(() => Task.FromResult(FfmpegProcesses.CountFor(id) == 0), TimeSpan.FromSeconds(30), "FFmpeg to stop");
        var after = await nodes.ListNodesAsync(new ListNodesRequest { PageSize = 10 });
        Assert.Equal(NodeState.Draining, Assert.Single(after.Nodes).State);
        Assert.Equal("QUEUED", (await Rest.GetAsync(farm.Http, id))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task DrainNode_WhoseControlMessageIsLost_StillReachesTheNode_AtItsNextHeartbeat()
    {
        await using var farm = await TestFarm.StartAsync(Server, nodes: 0);
        await using var node = await RawNode.ConnectAsync(farm, "deaf");
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(Server.Configuration);
        var record = farm.KeyPrefix + "node:deaf";
        await Wait.UntilAsync(() => redis.GetDatabase().KeyExistsAsync(record), TimeSpan.FromSeconds(30), "the node's record");
        // What a drain leaves behind when its control message never arrives (Redis restarted as it
        // was published, the node was moving between coordinators): the request on the record only.
        await redis.GetDatabase().HashSetAsync(record, [new("drain", 0), new("draining", 1)]);

        await node.SendAsync(new NodeMessage { Heartbeat = new NodeHeartbeat { FreeSlots = 1 } });
        var drain = await node.NextAsync(m => m.KindCase == CoordinatorMessage.KindOneofCase.Drain);
        Assert.Null(drain.Drain.Timeout); // the node's own timeout
        var listed = Assert.Single((await new NodeService.NodeServiceClient(farm.Grpc).ListNodesAsync(new ListNodesRequest())).Nodes);
        Assert.Equal(NodeState.Draining, listed.State);

        // The node still says it has a free slot, but nothing is dispatched to it.
        var id = (await Rest.CreateAsync(farm.Http, ColorCanvas("#336699")))["id"]!.GetValue<string>();
        await node.SendAsync(new NodeMessage { Heartbeat = new NodeHeartbeat { FreeSlots = 1 } });
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal("QUEUED", (await Rest.GetAsync(farm.Http, id))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task DrainNode_UnknownNode_IsNotFound_OnRestAndGrpc()
    {
        var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/nodes/no-such-node:drain", "{}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains(body!["details"]!.AsArray(), d => d!["reason"]?.GetValue<string>() == "NODE_NOT_FOUND");
        var e = await Assert.ThrowsAsync<RpcException>(() => new NodeService.NodeServiceClient(Farm.Grpc).DrainNodeAsync(new DrainNodeRequest { Id = "ghost" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Equal("NODE_NOT_FOUND", e.GetErrorInfo()!.Reason);
    }

    [Fact]
    public async Task CoordinatorStoppedMidRender_NodeMovesToAnother_AndTheRenderCompletesOnce()
    {
        await using var farm = await TestFarm.StartAsync(Server, nodes: 0);
        var second = await farm.Host.StartCoordinatorAsync("coordinator-b");
        await farm.Host.StartNodeAsync("mover", new Dictionary<string, string?> { ["RenderFarm:Node:CoordinatorUrl"] = $"{farm.Host.CoordinatorUrl},{second}" });
        var id = await StartLongRenderAsync(farm, "mover", seconds: 5);

        await farm.Host.StopCoordinatorAsync(farm.Host.CoordinatorUrl);

        var events = await Rest.ReadEventsAsync(farm.Http, id, timeout: TimeSpan.FromMinutes(2));
        var done = events[^1].Data["production"]!;
        Assert.Equal("SUCCEEDED", done["state"]!.GetValue<string>());
        Assert.Equal(1, done["attempts"]!.GetValue<int>());
        Assert.Equal("mover", done["nodeId"]!.GetValue<string>());
        Assert.Single(events, e => e.Data["production"]!["state"]!.GetValue<string>() == "SUCCEEDED");
        var (_, list) = await Rest.SendAsync(farm.Http, HttpMethod.Get, "/v1/nodes");
        Assert.Equal("coordinator-b", list!["nodes"]!.AsArray().Single()!["coordinatorId"]!.GetValue<string>());
    }

    private static string ColorCanvas(string color) =>
        Rest.Json(new { canvas = new { width = 160, height = 120, segments = new object[] { new { color = new { color }, duration = 1 } } }, output = new { quality = "DRAFT" } });
}
