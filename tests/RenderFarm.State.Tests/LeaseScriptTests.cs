using RenderFarm.Contracts.V1;
using RenderFarm.Testing;

namespace RenderFarm.State.Tests;

/// <summary>The scheduling scripts, run on a real server; each suite below runs them on one kind.</summary>
public abstract class LeaseScriptTests(RedisServer server)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Dispatch_TakesHighPriorityFirst_ThenOldest()
    {
        await using var h = await StateHarness.ConnectAsync(server);
        var low = await h.CreateAsync(Priority.Low);
        h.Clock.Advance(TimeSpan.FromMilliseconds(5));
        var first = await h.CreateAsync();
        h.Clock.Advance(TimeSpan.FromMilliseconds(5));
        var second = await h.CreateAsync();
        h.Clock.Advance(TimeSpan.FromMilliseconds(5));
        var high = await h.CreateAsync(Priority.High);

        var order = new List<string>();
        while (await h.Leases.DispatchAsync("n1", Ttl) is { } lease)
        {
            order.Add(lease.ProductionId);
        }

        Assert.Equal([high, first, second, low], order);
    }

    [Fact]
    public async Task ExpiredLease_RequeuesProduction_AndRejectsStaleResult()
    {
        await using var h = await StateHarness.ConnectAsync(server);
        var id = await h.CreateAsync();
        var first = await h.Leases.DispatchAsync("n1", Ttl);
        Assert.Equal(1, first!.Attempt);

        h.Clock.Advance(Ttl + TimeSpan.FromSeconds(1));
        Assert.Equal([new Reaped(id, Production.Types.State.Queued, "LEASE_EXPIRED")], await h.Leases.ReapAsync(100));
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        var requeued = await h.Productions.GetAsync("t1", id);
        Assert.Equal(Production.Types.State.Queued, requeued!.Production.State);
        Assert.Contains("lease", requeued.Production.Stage, StringComparison.Ordinal);

        var second = await h.Leases.DispatchAsync("n2", Ttl);
        Assert.Equal(2, second!.Attempt);
        Assert.True(second.Token > first.Token);

        var stale = await h.Leases.SucceedAsync(id, first.Token, new RenderOutput { ObjectKey = "x" }, 1, TimeSpan.FromSeconds(1));
        Assert.False(stale.Accepted);
        Assert.Equal("STALE_LEASE", stale.RejectReason);

        var fresh = await h.Leases.SucceedAsync(id, second.Token, new RenderOutput { ObjectKey = "y", Duration = 1 }, 1, TimeSpan.FromSeconds(1));
        Assert.True(fresh.Accepted);
        var done = await h.Productions.GetAsync("t1", id);
        Assert.Equal(Production.Types.State.Succeeded, done!.Production.State);
        Assert.Equal("y", done.Output!.ObjectKey);
        Assert.Equal(0, await h.RedisLongAsync("tenant:t1:running"));

        var late = await h.Leases.SucceedAsync(id, second.Token, new RenderOutput { ObjectKey = "z" }, 1, TimeSpan.FromSeconds(1));
        Assert.False(late.Accepted);
    }

    [Fact]
    public async Task ExpiredLease_PastAttemptBudget_FailsWithReason()
    {
        await using var h = await StateHarness.ConnectAsync(server);
        var id = await h.CreateAsync(maxAttempts: 2);
        var reaped = new List<Reaped>();
        for (var i = 0; i < 2; i++)
        {
            Assert.NotNull(await h.Leases.DispatchAsync("n1", Ttl));
            h.Clock.Advance(Ttl + TimeSpan.FromSeconds(1));
            reaped.AddRange(await h.Leases.ReapAsync(100));
            h.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal([Production.Types.State.Queued, Production.Types.State.Failed], reaped.Select(r => r.State));

        var failed = await h.Productions.GetAsync("t1", id);
        Assert.Equal(Production.Types.State.Failed, failed!.Production.State);
        Assert.Equal("LEASE_EXPIRED", failed.Production.Error.Code);
        Assert.Null(await h.Leases.DispatchAsync("n1", Ttl));
        Assert.Equal(0, await h.RedisLongAsync("tenant:t1:running"));
    }

    [Fact]
    public async Task Heartbeat_RenewsOwnLeases_AndReportsLostOnes()
    {
        await using var h = await StateHarness.ConnectAsync(server);
        var id = await h.CreateAsync();
        var lease = await h.Leases.DispatchAsync("n1", Ttl);
        var held = new LeaseRef { ProductionId = id, LeaseToken = lease!.Token };

        h.Clock.Advance(TimeSpan.FromSeconds(8));
        Assert.Empty(await h.Leases.HeartbeatAsync("n1", Ttl, [held]));
        h.Clock.Advance(TimeSpan.FromSeconds(8));
        Assert.Empty(await h.Leases.ReapAsync(100));

        var wrongNode = await h.Leases.HeartbeatAsync("n2", Ttl, [held]);
        Assert.Equal([held], wrongNode);
        var wrongToken = new LeaseRef { ProductionId = id, LeaseToken = lease.Token + 1 };
        Assert.Equal([wrongToken], await h.Leases.HeartbeatAsync("n1", Ttl, [wrongToken]));
    }

    [Fact]
    public async Task RetryableFailure_Requeues_UntilBudgetSpent()
    {
        await using var h = await StateHarness.ConnectAsync(server);
        var id = await h.CreateAsync(maxAttempts: 2);
        var first = await h.Leases.DispatchAsync("n1", Ttl);
        var retry = await h.Leases.FailAsync(id, first!.Token, "RENDER_FAILED", "boom", retryable: true);
        Assert.Equal(Production.Types.State.Queued, retry.State);
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await h.Leases.DispatchAsync("n1", Ttl);
        var final = await h.Leases.FailAsync(id, second!.Token, "RENDER_FAILED", "boom again", retryable: true);
        Assert.Equal(Production.Types.State.Failed, final.State);
        var failed = await h.Productions.GetAsync("t1", id);
        Assert.Equal("boom again", failed!.Production.Error.Message);
    }

    [Fact]
    public async Task DeclinedAssignment_IsRequeued_WithoutSpendingAnAttempt()
    {
        await using var h = await StateHarness.ConnectAsync(server);
        var id = await h.CreateAsync(maxAttempts: 1);
        for (var i = 0; i < 3; i++)
        {
            var lease = await h.Leases.DispatchAsync("busy", Ttl);
            var declined = await h.Leases.DeclineAsync(id, lease!.Token, "NODE_BUSY");
            Assert.Equal(Production.Types.State.Queued, declined.State);
        }

        var last = await h.Leases.DispatchAsync("free", Ttl);
        Assert.Equal(1, last!.Attempt);
        Assert.Equal(1, await h.RedisLongAsync("tenant:t1:running"));
    }

    [Fact]
    public async Task CancelRunning_ReleasesLease_AndTellsTheNode()
    {
        await using var h = await StateHarness.ConnectAsync(server);
        var got = new TaskCompletionSource<ControlMessage>();
        await h.Bus.SubscribeControlAsync(m => got.TrySetResult(m));
        var id = await h.CreateAsync();
        var lease = await h.Leases.DispatchAsync("n7", Ttl);

        Assert.Equal(Production.Types.State.Cancelled, await h.Productions.CancelAsync("t1", id));
        var message = await got.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(("n7", id, lease!.Token.ToString(System.Globalization.CultureInfo.InvariantCulture), "CANCELLED"), (message.Node, message.Id, message.Token, message.Reason));
        Assert.False((await h.Leases.SucceedAsync(id, lease.Token, new RenderOutput(), 1, TimeSpan.Zero)).Accepted);
        Assert.Null(await h.Productions.CancelAsync("t2", id));
        Assert.Equal(0, await h.RedisLongAsync("tenant:t1:running"));
    }

    [Fact]
    public async Task ConcurrentDispatchers_NeverHandOutOneJobTwice()
    {
        await using var a = await StateHarness.ConnectAsync(server);
        // Same prefix: two coordinators on one Redis.
        var shared = new StateHarness[] { a, await ShareAsync(a) };
        var ids = new HashSet<string>();
        for (var i = 0; i < 60; i++)
        {
            ids.Add(await a.CreateAsync());
        }

        var taken = await Task.WhenAll(shared.SelectMany((h, n) => Enumerable.Range(0, 4).Select(async w =>
        {
            var mine = new List<string>();
            while (await h.Leases.DispatchAsync($"node-{n}-{w}", Ttl) is { } lease)
            {
                mine.Add(lease.ProductionId);
            }

            return mine;
        })));
        var all = taken.SelectMany(t => t).ToList();
        Assert.Equal(ids.Count, all.Count);
        Assert.Equal(ids.OrderBy(x => x), all.Distinct().OrderBy(x => x));
        await shared[1].DisposeAsync();

        async Task<StateHarness> ShareAsync(StateHarness h) => await StateHarness.ConnectSharedAsync(server, h.Prefix);
    }

    [Fact]
    public async Task IdempotentCreate_ReturnsOriginal_AndRefusesDifferentBody()
    {
        await using var h = await StateHarness.ConnectAsync(server);
        var first = await h.Productions.CreateAsync("t1", StateHarness.Request(requestId: "r-1"), 3, TimeSpan.FromHours(1));
        var again = await h.Productions.CreateAsync("t1", StateHarness.Request(requestId: "r-1"), 3, TimeSpan.FromHours(1));
        Assert.True(again.Existing);
        Assert.False(again.Conflict);
        Assert.Equal(first.Production!.Production.Id, again.Production!.Production.Id);
        var different = await h.Productions.CreateAsync("t1", StateHarness.Request("#00FF00", requestId: "r-1"), 3, TimeSpan.FromHours(1));
        Assert.True(different.Conflict);
        var otherTenant = await h.Productions.CreateAsync("t2", StateHarness.Request(requestId: "r-1"), 3, TimeSpan.FromHours(1));
        Assert.False(otherTenant.Existing);
    }

    [Fact]
    public async Task Events_ReplayAfterSequence_ThenFollowLive()
    {
        await using var h = await StateHarness.ConnectAsync(server);
        var id = await h.CreateAsync();
        var lease = await h.Leases.DispatchAsync("n1", Ttl);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<StoredEvent>();
        var watch = Task.Run(async () =>
        {
            await foreach (var ev in h.Events.WatchAsync(id, 1, cts.Token))
            {
                seen.Add(ev);
                if (ev.State == "SUCCEEDED")
                {
                    return;
                }
            }
        });
        await h.Leases.ProgressAsync(id, lease!.Token, 0.5, "rendering", Ttl);
        await h.Leases.SucceedAsync(id, lease.Token, new RenderOutput { ObjectKey = "k" }, 1, TimeSpan.FromSeconds(1));
        await watch;
        Assert.Equal([2L, 3, 4], seen.Select(e => e.Sequence));
        Assert.Equal(["RUNNING", "RUNNING", "SUCCEEDED"], seen.Select(e => e.State));
        Assert.Equal(0.5, seen[1].Progress);
    }

    [Fact]
    public async Task List_IsNewestFirst_PagesWithoutRepeats_AndFiltersByState()
    {
        await using var h = await StateHarness.ConnectAsync(server);
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(await h.CreateAsync());
            h.Clock.Advance(TimeSpan.FromMilliseconds(i % 2));
        }

        // More productions in one millisecond than a list batch holds.
        for (var i = 0; i < 130; i++)
        {
            ids.Add(await h.CreateAsync());
        }

        await h.Productions.CancelAsync("t1", ids[3]);
        var seen = new List<string>();
        long? ms = null;
        string? after = null;
        do
        {
            var page = await h.Productions.ListAsync("t1", 7, ms, after, Production.Types.State.Unspecified);
            seen.AddRange(page.Items.Select(p => p.Production.Id));
            (ms, after) = (page.Next?.CreateMs, page.Next?.Id);
        }
        while (after is not null);

        // Newest first; productions created in the same millisecond may come in either order, but each exactly once.
        Assert.Equal(ids.Count, seen.Distinct().Count());
        Assert.Equal(ids.OrderBy(x => x), seen.OrderBy(x => x));
        var times = new List<long>();
        foreach (var id in seen)
        {
            times.Add((await h.Productions.GetAsync("t1", id))!.Production.CreateTime.ToDateTimeOffset().ToUnixTimeMilliseconds());
        }

        Assert.Equal(times.OrderByDescending(t => t), times);
        var cancelled = await h.Productions.ListAsync("t1", 10, null, null, Production.Types.State.Cancelled);
        Assert.Equal([ids[3]], cancelled.Items.Select(p => p.Production.Id));
        Assert.Empty((await h.Productions.ListAsync("t2", 10, null, null, Production.Types.State.Unspecified)).Items);
    }
}

public sealed class LeaseScriptsOnGarnet(GarnetServerFixture fixture) : LeaseScriptTests(fixture.Server), IClassFixture<GarnetServerFixture>;

public sealed class LeaseScriptsOnRedis(RedisServerFixture fixture) : LeaseScriptTests(fixture.Server), IClassFixture<RedisServerFixture>;
