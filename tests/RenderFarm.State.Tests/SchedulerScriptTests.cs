using RenderFarm.Contracts.V1;
using RenderFarm.Testing;

namespace RenderFarm.State.Tests;

/// <summary>Retries, fairness, caps, limits and placement of the dispatch scripts, on a real server with a fake clock.</summary>
public abstract class SchedulerScriptTests(RedisServer server)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);

    private static SchedulerOptions Exact(int poison = 0, double aging = 1) =>
        new() { RetryBackoffBase = TimeSpan.FromSeconds(1), RetryBackoffMax = TimeSpan.FromSeconds(30), RetryBackoffJitter = 0, PoisonNodeCount = poison, AgingPerMinute = aging };

    private static (NodeProfile, int) Free(string id, int slots = 1, bool gpu = false, Dictionary<string, string>? labels = null) =>
        (new NodeProfile(id, gpu, ["libx264"], labels ?? []), slots);

    [Fact]
    public async Task RetryBackoff_DelaysEligibility_AndGrowsWithAttempts()
    {
        await using var h = await StateHarness.ConnectAsync(server, Exact());
        var id = await h.CreateAsync(maxAttempts: 5);
        foreach (var delay in new[] { 1000, 2000, 4000 })
        {
            var lease = await h.Leases.DispatchAsync("n1", Ttl);
            Assert.Equal(id, lease!.ProductionId);
            Assert.Equal(Production.Types.State.Queued, (await h.Leases.FailAsync(id, lease.Token, "RENDER_FAILED", "boom", retryable: true)).State);
            Assert.StartsWith($"retrying in {delay / 1000}.0s", (await h.Productions.GetAsync("t1", id))!.Production.Stage, StringComparison.Ordinal);

            h.Clock.Advance(TimeSpan.FromMilliseconds(delay - 1));
            Assert.Null(await h.Leases.DispatchAsync("n1", Ttl));
            h.Clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(4, (await h.Leases.DispatchAsync("n1", Ttl))!.Attempt);
    }

    [Fact]
    public async Task RetryBackoff_Jitter_StaysWithinItsSpread()
    {
        var options = Exact();
        options.RetryBackoffJitter = 0.5;
        await using var h = await StateHarness.ConnectAsync(server, options);
        var id = await h.CreateAsync();
        var lease = await h.Leases.DispatchAsync("n1", Ttl);
        await h.Leases.FailAsync(id, lease!.Token, "RENDER_FAILED", "boom", retryable: true);
        h.Clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Null(await h.Leases.DispatchAsync("n1", Ttl));
        h.Clock.Advance(TimeSpan.FromMilliseconds(1001));
        Assert.NotNull(await h.Leases.DispatchAsync("n1", Ttl));
    }

    [Fact]
    public async Task RetryBudget_Spent_FailsWithTheLastAttemptsReason()
    {
        await using var h = await StateHarness.ConnectAsync(server, Exact());
        var id = await h.CreateAsync(maxAttempts: 3);
        var first = await h.Leases.DispatchAsync("n1", Ttl);
        await h.Leases.FailAsync(id, first!.Token, "UPLOAD_FAILED", "upload answered 503", retryable: true);
        h.Clock.Advance(TimeSpan.FromSeconds(30));
        var second = await h.Leases.DispatchAsync("n1", Ttl);
        h.Clock.Advance(Ttl + TimeSpan.FromSeconds(1));
        Assert.Equal([id], (await h.Leases.ReapAsync(100)).Select(r => r.ProductionId));
        var lapsed = await h.Productions.GetAsync("t1", id);
        Assert.Equal((Production.Types.State.Queued, "LEASE_EXPIRED"), (lapsed!.Production.State, lapsed.Production.Error.Code));

        h.Clock.Advance(TimeSpan.FromSeconds(30));
        var third = await h.Leases.DispatchAsync("n1", Ttl);
        Assert.Equal(3, third!.Attempt);
        var final = await h.Leases.FailAsync(id, third.Token, "RENDER_FAILED", "ffmpeg exited with 1: Invalid argument", retryable: true);
        Assert.Equal(Production.Types.State.Failed, final.State);
        var failed = (await h.Productions.GetAsync("t1", id))!.Production;
        Assert.Equal(("RENDER_FAILED", "ffmpeg exited with 1: Invalid argument"), (failed.Error.Code, failed.Error.Message));
        Assert.Equal(0, await h.RedisLongAsync("tenant:t1:queued"));
        Assert.Equal(0, await h.RedisLongAsync("tenant:t1:running"));
    }

    [Fact]
    public async Task FailuresOnDifferentNodes_FailTheJobAsPoison_NamingNodesAndCodes()
    {
        await using var h = await StateHarness.ConnectAsync(server, Exact(poison: 3));
        var id = await h.CreateAsync(maxAttempts: 10);
        var nodes = new[] { Free("n1"), Free("n2"), Free("n3") };
        var used = new List<string>();
        var completions = new List<Completion>();
        foreach (var code in new[] { "RENDER_FAILED", "NODE_ERROR", "RENDER_FAILED" })
        {
            var lease = Assert.Single(await h.Leases.DispatchAsync(nodes, Ttl));
            used.Add(lease.NodeId);
            completions.Add(await h.Leases.FailAsync(id, lease.Token, code, $"crash on {lease.NodeId}", retryable: true));
            h.Clock.Advance(TimeSpan.FromSeconds(30));
        }

        Assert.Equal(["n1", "n2", "n3"], used.Order());
        // What the coordinator counts: two requeues, then a poison job.
        Assert.Equal([Production.Types.State.Queued, Production.Types.State.Queued, Production.Types.State.Failed], completions.Select(c => c.State));
        Assert.Equal("POISON_JOB", completions[^1].ErrorCode);
        var failed = (await h.Productions.GetAsync("t1", id))!.Production;
        Assert.Equal(Production.Types.State.Failed, failed.State);
        Assert.Equal("POISON_JOB", failed.Error.Code);
        Assert.Contains("3 different nodes", failed.Error.Message, StringComparison.Ordinal);
        Assert.Contains($"{used[1]} (NODE_ERROR)", failed.Error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"last error RENDER_FAILED: crash on {used[2]}", failed.Error.Message, StringComparison.Ordinal);
        Assert.Empty(await h.Leases.DispatchAsync(nodes, Ttl));
    }

    [Fact]
    public async Task NodeThatFailedAJob_IsNotGivenItAgain_WhileAnotherNodeGetsIt()
    {
        await using var h = await StateHarness.ConnectAsync(server, Exact());
        var job = await h.CreateAsync(maxAttempts: 5);
        var lease = await h.Leases.DispatchAsync("bad", Ttl);
        await h.Leases.FailAsync(job, lease!.Token, "RENDER_FAILED", "boom", retryable: true);
        h.Clock.Advance(TimeSpan.FromSeconds(30));
        await h.Leases.HeartbeatAsync("good", Ttl, []);
        var other = await h.CreateAsync();

        // "bad" skips the job it failed and takes the next one; "good" gets the job.
        Assert.Equal(other, (await h.Leases.DispatchAsync("bad", Ttl))!.ProductionId);
        Assert.Null(await h.Leases.DispatchAsync("bad", Ttl));
        var retried = await h.Leases.DispatchAsync("good", Ttl);
        Assert.Equal((job, 2), (retried!.ProductionId, retried.Attempt));
    }

    [Fact]
    public async Task FailedNode_StillGetsTheJob_WhenItIsTheOnlyLiveNode()
    {
        await using var h = await StateHarness.ConnectAsync(server, Exact());
        var job = await h.CreateAsync();
        var lease = await h.Leases.DispatchAsync("only", Ttl);
        await h.Leases.FailAsync(job, lease!.Token, "RENDER_FAILED", "boom", retryable: true);
        h.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(job, (await h.Leases.DispatchAsync("only", Ttl))!.ProductionId);
    }

    [Fact]
    public async Task Aging_LetsLowRun_DespiteAStreamOfHigh()
    {
        Assert.InRange(await LowDispatchedAtAsync(aging: 60), 1, 12);
        Assert.Equal(-1, await LowDispatchedAtAsync(aging: 0));

        async Task<int> LowDispatchedAtAsync(double aging)
        {
            await using var h = await StateHarness.ConnectAsync(server, Exact(aging: aging));
            var low = await h.CreateAsync(Priority.Low);
            // Two HIGH arrive for every one that runs: without aging the LOW one would wait forever.
            for (var i = 1; i <= 30; i++)
            {
                h.Clock.Advance(TimeSpan.FromMilliseconds(500));
                await h.CreateAsync(Priority.High);
                await h.CreateAsync(Priority.High);
                if ((await h.Leases.DispatchAsync("n1", Ttl))!.ProductionId == low)
                {
                    return i;
                }
            }

            return -1;
        }
    }

    [Fact]
    public async Task TenantCap_HoldsAtMaxRunning_SaysWhy_AndReleasesOnCompletion()
    {
        var tenants = new TenantOptions();
        tenants.Overrides["acme"] = new TenantLimits { MaxRunning = 2 };
        await using var h = await StateHarness.ConnectAsync(server, Exact(), tenants);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await h.CreateAsync(tenant: "acme"));
        }

        var other = await h.CreateAsync(tenant: "other");
        var leases = await h.Leases.DispatchAsync([Free("big", slots: 8)], Ttl);
        Assert.Equal(new[] { ids[0], ids[1], other }.Order(), leases.Select(l => l.ProductionId).Order());
        var waiting = (await h.Productions.GetAsync("acme", ids[2]))!.Production;
        Assert.Equal(Production.Types.State.Queued, waiting.State);
        Assert.Equal("waiting for a slot: tenant acme runs 2 of 2", waiting.Stage);
        var late = await h.CreateAsync(tenant: "acme");
        Assert.Equal("waiting for a slot: tenant acme runs 2 of 2", (await h.Productions.GetAsync("acme", late))!.Production.Stage);
        Assert.Empty(await h.Leases.DispatchAsync([Free("big", slots: 5)], Ttl));

        await h.Leases.SucceedAsync(ids[0], leases.Single(l => l.ProductionId == ids[0]).Token, new RenderOutput { ObjectKey = "k" }, 1, TimeSpan.Zero);
        var next = await h.Leases.DispatchAsync([Free("big", slots: 5)], Ttl);
        Assert.Equal([ids[2]], next.Select(l => l.ProductionId));
        Assert.Equal(2, await h.RedisLongAsync("tenant:acme:running"));
    }

    [Fact]
    public async Task Fairness_OneJobOfASecondTenant_RunsWithinTheFirstDispatches_BehindAThousand()
    {
        await using var h = await StateHarness.ConnectAsync(server, Exact());
        for (var i = 0; i < 1000; i++)
        {
            await h.CreateAsync(tenant: "a");
        }

        h.Clock.Advance(TimeSpan.FromSeconds(1));
        var b = await h.CreateAsync(tenant: "b");
        var first = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            first.Add((await h.Leases.DispatchAsync($"n{i}", Ttl))!.ProductionId);
        }

        Assert.Contains(b, first.Take(2));
        Assert.Equal(998, await h.RedisLongAsync("tenant:a:queued"));
    }

    [Fact]
    public async Task Fairness_TenantsWithEqualWork_TakeTurns()
    {
        await using var h = await StateHarness.ConnectAsync(server, Exact());
        for (var i = 0; i < 10; i++)
        {
            await h.CreateAsync(tenant: "a");
            await h.CreateAsync(tenant: "b", priority: Priority.High);
        }

        var leased = await h.Leases.DispatchAsync([Free("n1", slots: 6)], Ttl);
        var tenants = new List<string>();
        foreach (var lease in leased)
        {
            tenants.Add((await h.Productions.GetAnyAsync(lease.ProductionId))!.Tenant);
        }

        Assert.Equal(3, tenants.Count(t => t == "a"));
        Assert.Equal(3, tenants.Count(t => t == "b"));
    }

    [Fact]
    public async Task QueueLimit_RefusesCreate_QueuesNothing_AndFreesUpAsWorkStarts()
    {
        var tenants = new TenantOptions();
        tenants.Defaults.MaxQueued = 2;
        await using var h = await StateHarness.ConnectAsync(server, Exact(), tenants);
        var kept = await h.Productions.CreateAsync("t1", StateHarness.Request(requestId: "kept"), 3, TimeSpan.FromHours(1));
        var second = await h.CreateAsync();
        var refused = await h.Productions.CreateAsync("t1", StateHarness.Request("#00FF00"), 3, TimeSpan.FromHours(1));
        Assert.Equal((true, 2, null), (refused.QueueFull, refused.QueueLimit, refused.Production));
        Assert.Equal(2, (await h.Productions.ListAsync("t1", 10, null, null, Production.Types.State.Unspecified)).Items.Count);
        // A repeat of an accepted request still answers with the original.
        var repeat = await h.Productions.CreateAsync("t1", StateHarness.Request(requestId: "kept"), 3, TimeSpan.FromHours(1));
        Assert.Equal(kept.Production!.Production.Id, repeat.Production!.Production.Id);

        await h.Productions.CancelAsync("t1", second);
        Assert.False((await h.Productions.CreateAsync("t1", StateHarness.Request("#0000FF"), 3, TimeSpan.FromHours(1))).QueueFull);
        Assert.True((await h.Productions.CreateAsync("t1", StateHarness.Request("#0000FE"), 3, TimeSpan.FromHours(1))).QueueFull);
        Assert.NotNull(await h.Leases.DispatchAsync("n1", Ttl));
        Assert.False((await h.Productions.CreateAsync("t1", StateHarness.Request("#0000FD"), 3, TimeSpan.FromHours(1))).QueueFull);
    }

    [Fact]
    public async Task RequiredGpu_WaitsWithStage_WithoutBlockingOtherWork_UntilAGpuNodeAsks()
    {
        await using var h = await StateHarness.ConnectAsync(server, Exact());
        var placement = new Placement { Required = new NodeRequirements { Gpu = true, Encoders = { "h264_nvenc" } } };
        var gpuJob = await h.CreateAsync(placement: placement);
        var plain = await h.CreateAsync();
        Assert.Equal("waiting for a node with gpu, encoder h264_nvenc", (await h.Productions.GetAsync("t1", gpuJob))!.Production.Stage);

        Assert.Equal([plain], (await h.Leases.DispatchAsync([Free("cpu", slots: 4)], Ttl)).Select(l => l.ProductionId));
        // A GPU without a working NVENC is not enough.
        Assert.Empty(await h.Leases.DispatchAsync([Free("gpu-no-nvenc", gpu: true)], Ttl));
        var gpu = (new NodeProfile("gpu", true, ["libx264", "h264_nvenc"], []), 1);
        var lease = Assert.Single(await h.Leases.DispatchAsync([Free("cpu", slots: 3), gpu], Ttl));
        Assert.Equal((gpuJob, "gpu"), (lease.ProductionId, lease.NodeId));
        Assert.Equal(placement, (await h.Productions.GetAsync("t1", gpuJob))!.Production.Placement);
    }

    [Fact]
    public async Task PreferredLabel_PicksTheMatchingFreeNode_ElseAnyNode()
    {
        await using var h = await StateHarness.ConnectAsync(server, Exact());
        var placement = new Placement { Preferred = new NodeRequirements { Labels = { ["pool"] = "a" } } };
        await h.CreateAsync(placement: placement);
        var pooled = Free("pooled", labels: new() { ["pool"] = "a" });
        Assert.Equal("pooled", Assert.Single(await h.Leases.DispatchAsync([Free("plain", slots: 4), pooled], Ttl)).NodeId);

        await h.CreateAsync(placement: placement);
        Assert.Equal("plain", Assert.Single(await h.Leases.DispatchAsync([Free("plain", slots: 4)], Ttl)).NodeId);
    }

    [Fact]
    public async Task OneDispatch_FillsEveryFreeSlot_SpreadingOverNodes()
    {
        await using var h = await StateHarness.ConnectAsync(server, Exact());
        for (var i = 0; i < 10; i++)
        {
            await h.CreateAsync();
        }

        var leases = await h.Leases.DispatchAsync([Free("a", 2), Free("b", 2), Free("c", 3)], Ttl);
        Assert.Equal(7, leases.Select(l => l.ProductionId).Distinct().Count());
        Assert.Equal([("a", 2), ("b", 2), ("c", 3)], leases.GroupBy(l => l.NodeId).Select(g => (g.Key, g.Count())).OrderBy(g => g.Key));
        Assert.Equal(3, await h.RedisLongAsync("tenant:t1:queued"));
    }

    [Fact]
    public async Task OneBatch_SharesSlotsAcrossTenantsAndPlacements_AndLeavesConsistentCounts()
    {
        var tenants = new TenantOptions();
        tenants.Overrides["capped"] = new TenantLimits { MaxRunning = 2 };
        await using var h = await StateHarness.ConnectAsync(server, Exact(), tenants);
        var gpuOnly = new Placement { Required = new NodeRequirements { Gpu = true } };
        for (var i = 0; i < 10; i++)
        {
            await h.CreateAsync(tenant: "many");
            await h.CreateAsync(tenant: "gpu", placement: gpuOnly);
            await h.CreateAsync(tenant: "capped");
        }

        var single = await h.CreateAsync(tenant: "single");
        var leases = await h.Leases.DispatchAsync([Free("cpu", slots: 6), Free("gpu", slots: 4, gpu: true)], Ttl);

        var byTenant = new Dictionary<string, List<Lease>>();
        foreach (var lease in leases)
        {
            var tenant = (await h.Productions.GetAnyAsync(lease.ProductionId))!.Tenant;
            byTenant.TryAdd(tenant, []);
            byTenant[tenant].Add(lease);
        }

        // Every slot is filled, the lone production of a fourth tenant among them, the capped
        // tenant holds at its cap, GPU work only on the GPU node, the rest shared.
        Assert.Equal(10, leases.Select(l => l.ProductionId).Distinct().Count());
        Assert.Equal([single], byTenant["single"].Select(l => l.ProductionId));
        Assert.Equal(2, byTenant["capped"].Count);
        Assert.All(byTenant["gpu"], l => Assert.Equal("gpu", l.NodeId));
        Assert.InRange(byTenant["gpu"].Count, 2, 4);
        Assert.InRange(byTenant["many"].Count, 2, 5);
        foreach (var (tenant, queued) in new[] { ("many", 10), ("gpu", 10), ("capped", 10), ("single", 1) })
        {
            var running = byTenant.GetValueOrDefault(tenant)?.Count ?? 0;
            Assert.Equal(running, await h.RedisLongAsync($"tenant:{tenant}:running"));
            Assert.Equal(queued - running, await h.RedisLongAsync($"tenant:{tenant}:queued"));
        }

        // The ranking written back at the end of the batch is what the next call works from:
        // with one slot free the tenant running the fewest goes next.
        var fewest = byTenant.Where(t => t.Key is "many" or "gpu").MinBy(t => t.Value.Count).Key;
        var next = Assert.Single(await h.Leases.DispatchAsync([Free("gpu", slots: 1, gpu: true)], Ttl));
        var nextTenant = (await h.Productions.GetAnyAsync(next.ProductionId))!.Tenant;
        Assert.True(nextTenant == fewest || byTenant["many"].Count == byTenant["gpu"].Count, $"{nextTenant} went next; running: {string.Join(", ", byTenant.Select(t => $"{t.Key} {t.Value.Count}"))}");
    }

    [Fact]
    public async Task ConcurrentCreatesDispatchesAndCompletions_StrandNothing()
    {
        // Garnet interleaves scripts command by command; ranking updates racing each other once
        // left a tenant with queued work out of every ready set, so it was never dispatched again.
        var tenants = new TenantOptions();
        tenants.Overrides["capped"] = new TenantLimits { MaxRunning = 3 };
        await using var h = await StateHarness.ConnectAsync(server, Exact(), tenants);
        const int perTenant = 400;
        string[] names = ["a", "b", "capped"];
        var done = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var creators = names.Select(tenant => Task.Run(async () =>
        {
            for (var i = 0; i < perTenant; i += 8)
            {
                await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => h.CreateAsync(tenant: tenant)));
            }
        })).ToList();
        var dispatchers = Enumerable.Range(0, 3).Select(d => Task.Run(async () =>
        {
            while (Volatile.Read(ref done) < perTenant * names.Length && !stop.IsCancellationRequested)
            {
                var leases = await h.Leases.DispatchAsync([Free($"n{d}a", slots: 4), Free($"n{d}b", slots: 4)], Ttl);
                await Task.WhenAll(leases.Select(async l =>
                {
                    await h.Leases.SucceedAsync(l.ProductionId, l.Token, new RenderOutput { ObjectKey = "k" }, 1, TimeSpan.Zero);
                    Interlocked.Increment(ref done);
                }));
                if (leases.Count == 0)
                {
                    await Task.Delay(5);
                }
            }
        })).ToList();

        await Task.WhenAll(creators);
        await Task.WhenAll(dispatchers);
        Assert.Equal(perTenant * names.Length, done);
        foreach (var tenant in names)
        {
            Assert.Equal(0, await h.RedisLongAsync($"tenant:{tenant}:queued"));
            Assert.Equal(0, await h.RedisLongAsync($"tenant:{tenant}:running"));
        }
    }
}

public sealed class SchedulerScriptsOnGarnet(GarnetServerFixture fixture) : SchedulerScriptTests(fixture.Server), IClassFixture<GarnetServerFixture>;

public sealed class SchedulerScriptsOnRedis(RedisServerFixture fixture) : SchedulerScriptTests(fixture.Server), IClassFixture<RedisServerFixture>;
