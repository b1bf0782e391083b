using System.Collections.Concurrent;
using System.Net;
using Grpc.Core;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Testing;
using StackExchange.Redis;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>
/// The scheduler seen from outside: queue limits over REST and gRPC, placement on GPU and pool
/// nodes, and two coordinators sharing one Redis. Each derived class runs it on one server kind.
/// </summary>
public abstract class SchedulerTests(RedisServer server)
{
    private static string Color(string color, object? placement = null) =>
        Rest.Json(new { canvas = new { width = 160, height = 120, segments = new object[] { new { color = new { color }, duration = 1 } } }, placement });

    [Fact]
    public async Task QueueLimit_IsResourceExhaustedOverGrpc_And429OverRest_AndQueuesNothing()
    {
        await using var farm = await TestFarm.StartAsync(server, nodes: 0, new Dictionary<string, string?> { ["RenderFarm:Tenants:Defaults:MaxQueued"] = "2" });
        await Rest.CreateAsync(farm.Http, Color("#101010"));
        await Rest.CreateAsync(farm.Http, Color("#202020"));

        var (status, body) = await Rest.SendAsync(farm.Http, HttpMethod.Post, "/v1/productions", Color("#303030"));
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Contains(body!["details"]!.AsArray(), d => d!["reason"]?.GetValue<string>() == "QUEUE_LIMIT_EXCEEDED");
        var client = new ProductionService.ProductionServiceClient(farm.Grpc);
        var request = new CreateProductionRequest { Canvas = new Canvas { Width = 160, Height = 120, Segments = { new Segment { Color = new ColorClip { Color = "#404040" }, Duration = 1 } } } };
        var e = await Assert.ThrowsAsync<RpcException>(() => client.CreateProductionAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Equal("QUEUE_LIMIT_EXCEEDED", e.GetErrorInfo()!.Reason);
        Assert.Contains("2", e.Status.Detail, StringComparison.Ordinal);

        var (_, list) = await Rest.SendAsync(farm.Http, HttpMethod.Get, "/v1/productions?pageSize=100");
        Assert.Equal(2, list!["productions"]!.AsArray().Count);
    }

    [Fact]
    public async Task InvalidPlacement_IsInvalidArgument_NamingTheField()
    {
        await using var farm = await TestFarm.StartAsync(server, nodes: 0);
        var client = new ProductionService.ProductionServiceClient(farm.Grpc);
        var request = new CreateProductionRequest
        {
            Canvas = new Canvas { Width = 160, Height = 120, Segments = { new Segment { Color = new ColorClip { Color = "#404040" }, Duration = 1 } } },
            Placement = new Placement { Required = new NodeRequirements { Encoders = { "libx264", "h264 nvenc; rm" } } },
        };
        var e = await Assert.ThrowsAsync<RpcException>(() => client.CreateProductionAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(["placement.required.encoders[1]"], e.GetBadRequest()!.FieldViolations.Select(v => v.Field));

        var (status, body) = await Rest.SendAsync(farm.Http, HttpMethod.Post, "/v1/productions",
            Color("#505050", new { preferred = new { labels = new Dictionary<string, string> { ["bad key!"] = "x" } } }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("placement.preferred.labels[bad key!]", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GpuRequired_WaitsQueuedWithStage_WhileOnlyCpuNodesAreConnected_ThenRunsOnAGpuNode()
    {
        await using var farm = await TestFarm.StartAsync(server, nodes: 1);
        var gpuJob = (await Rest.CreateAsync(farm.Http, Color("#00AA00", new { required = new { gpu = true, encoders = new[] { "h264_nvenc" } } })))["id"]!.GetValue<string>();
        // The CPU node renders later work meanwhile: the GPU job blocks nothing.
        var plain = (await Rest.CreateAsync(farm.Http, Color("#AA0000")))["id"]!.GetValue<string>();
        var events = await Rest.ReadEventsAsync(farm.Http, plain);
        Assert.Equal("SUCCEEDED", events[^1].Data["production"]!["state"]!.GetValue<string>());
        var waiting = await Rest.GetAsync(farm.Http, gpuJob);
        Assert.Equal(("QUEUED", "waiting for a node with gpu, encoder h264_nvenc"), (waiting["state"]!.GetValue<string>(), waiting["stage"]!.GetValue<string>()));

        var hello = new NodeHello { NodeId = "gpu-1", Slots = 1, Capabilities = new NodeCapabilities { Encoders = { "libx264", "h264_nvenc" }, Gpus = { new Gpu { Name = "Test GPU" } } } };
        await using var gpu = await RawNode.ConnectAsync(farm, hello);
        var assignment = await gpu.NextAssignmentAsync();
        Assert.Equal(gpuJob, assignment.ProductionId);
        // The node is told which encoder the production requires, so it encodes with that one.
        Assert.Equal(["h264_nvenc"], assignment.RequiredEncoders);
        await gpu.SucceedAsync(assignment);
        Assert.True((await gpu.NextAckAsync()).Accepted);
        var done = await Rest.GetAsync(farm.Http, gpuJob);
        Assert.Equal(("SUCCEEDED", "gpu-1"), (done["state"]!.GetValue<string>(), done["nodeId"]!.GetValue<string>()));
        Assert.True(done["placement"]!["required"]!["gpu"]!.GetValue<bool>());
    }

    [Fact]
    public async Task PreferredLabel_ChoosesTheMatchingFreeNode()
    {
        await using var farm = await TestFarm.StartAsync(server, nodes: 0);
        await using var plain = await RawNode.ConnectAsync(farm, new NodeHello { NodeId = "plain", Slots = 4, Capabilities = new NodeCapabilities { Encoders = { "libx264" } } });
        var pooledHello = new NodeHello { NodeId = "pooled", Slots = 1, Capabilities = new NodeCapabilities { Encoders = { "libx264" } } };
        pooledHello.Labels["pool"] = "fast";
        await using var pooled = await RawNode.ConnectAsync(farm, pooledHello);

        var id = (await Rest.CreateAsync(farm.Http, Color("#0000AA", new { preferred = new { labels = new { pool = "fast" } } })))["id"]!.GetValue<string>();
        Assert.Equal(id, (await pooled.NextAssignmentAsync()).ProductionId);
        Assert.Equal("pooled", (await Rest.GetAsync(farm.Http, id))["nodeId"]!.GetValue<string>());
    }

    [Fact]
    public async Task TwoCoordinators_NeverAssignOneJobTwice_AndRecoverWhenOneIsKilled()
    {
        var signingKey = new string('k', 40);
        await using var farm = await TestFarm.StartAsync(server, nodes: 0, new Dictionary<string, string?> { ["RenderFarm:Storage:SigningKey"] = signingKey });
        using var second = await CoordinatorProcess.StartAsync(farm, signingKey);

        // Two raw nodes on each coordinator take whatever comes and report success at once.
        var assignments = new ConcurrentBag<(string Node, string Id, long Token)>();
        using var stop = new CancellationTokenSource();
        var nodes = new List<RawNode>();
        var loops = new List<Task>();
        foreach (var (name, url) in new[] { ("a1", farm.Host.CoordinatorUrl), ("a2", farm.Host.CoordinatorUrl), ("b1", second.Url), ("b2", second.Url) })
        {
            var node = await RawNode.ConnectAsync(farm, new NodeHello { NodeId = name, Slots = 2, Capabilities = new NodeCapabilities { Encoders = { "libx264" } } }, url);
            nodes.Add(node);
            loops.Add(Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var assignment = await node.NextAssignmentAsync();
                    assignments.Add((name, assignment.ProductionId, assignment.LeaseToken));
                    await node.SucceedAsync(assignment);
                }
            }));
        }

        var ids = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            ids.Add((await Rest.CreateAsync(farm.Http, Color($"#0000{i:X2}")))["id"]!.GetValue<string>());
        }

        await Wait.UntilAsync(async () =>
        {
            var (_, list) = await Rest.SendAsync(farm.Http, HttpMethod.Get, "/v1/productions?pageSize=100&state=SUCCEEDED");
            return list!["productions"]!.AsArray().Count == ids.Count;
        }, TimeSpan.FromMinutes(1), "all productions to succeed");
        Assert.Equal(ids.Order(), assignments.Select(a => a.Id).Order());
        Assert.Contains(assignments, a => a.Node.StartsWith('a'));
        Assert.Contains(assignments, a => a.Node.StartsWith('b'));
        await stop.CancelAsync();
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }

        await Task.WhenAll(loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);

        // A node on the second coordinator holds a job when that coordinator dies: the lease
        // expires and the job runs again on a real node that fails over to the first coordinator.
        var doomed = await RawNode.ConnectAsync(farm, new NodeHello { NodeId = "doomed", Slots = 1, Capabilities = new NodeCapabilities { Encoders = { "libx264" } } }, second.Url);
        var job = (await Rest.CreateAsync(farm.Http, Color("#00FF00")))["id"]!.GetValue<string>();
        var held = await doomed.NextAssignmentAsync();
        Assert.Equal(job, held.ProductionId);
        using var dead = new CancellationTokenSource();
        var heartbeats = Task.Run(async () =>
        {
            // Renews the lease for as long as the coordinator lives.
            while (!dead.IsCancellationRequested)
            {
                await doomed.SendAsync(new NodeMessage { Heartbeat = new NodeHeartbeat { Leases = { new LeaseRef { ProductionId = job, LeaseToken = held.LeaseToken } } } });
                await Task.Delay(300, dead.Token);
            }
        });
        using var survivor = NodeProcess.Start(farm, "survivor", new Dictionary<string, string> { ["RenderFarm__Node__CoordinatorUrl"] = $"{second.Url},{farm.Host.CoordinatorUrl}" });
        // Heartbeats record the node: it is connected (to the second coordinator, first in its list).
        await using var redis = await ConnectionMultiplexer.ConnectAsync(farm.Host.RedisConfiguration);
        await Wait.UntilAsync(async () => await redis.GetDatabase().SortedSetScoreAsync(farm.KeyPrefix + "nodes", "survivor") is not null,
            TimeSpan.FromMinutes(1), "the survivor node to connect");
        Assert.Equal("RUNNING", (await Rest.GetAsync(farm.Http, job))["state"]!.GetValue<string>());
        Assert.Equal(1, (await Rest.GetAsync(farm.Http, job))["attempts"]!.GetValue<int>());
        second.Kill();
        await dead.CancelAsync();
        await heartbeats.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        await doomed.DisposeAsync().AsTask().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);

        var events = await Rest.ReadEventsAsync(farm.Http, job, timeout: TimeSpan.FromMinutes(2));
        var done = events[^1].Data["production"]!;
        Assert.Equal(("SUCCEEDED", "survivor", 2), (done["state"]!.GetValue<string>(), done["nodeId"]!.GetValue<string>(), done["attempts"]!.GetValue<int>()));
        Assert.Contains(events, e => e.Data["production"]!["stage"]!.GetValue<string>().Contains("LEASE_EXPIRED", StringComparison.Ordinal));
    }
}

public sealed class SchedulerOnGarnet(SchedulerGarnetFixture fixture) : SchedulerTests(fixture.Server), IClassFixture<SchedulerGarnetFixture>;

public sealed class SchedulerOnRedis(SchedulerRedisFixture fixture) : SchedulerTests(fixture.Server), IClassFixture<SchedulerRedisFixture>;

/// <summary>An in-process Garnet shared by the scheduler tests (each starts its own farm on it).</summary>
public sealed class SchedulerGarnetFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Server = RedisServer.StartGarnet();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>A redis-server shared by the scheduler tests.</summary>
public sealed class SchedulerRedisFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RedisServer.StartRedisAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
