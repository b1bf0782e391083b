using RenderFarm.Contracts.V1;
using RenderFarm.Testing;

namespace RenderFarm.State.Tests;

/// <summary>A job's kind as stored and leased: what the plan, the dispatcher and the outbox read back; run on each server kind.</summary>
public abstract class JobKindScriptTests(RedisServer server)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task PreviewJob_KeepsItsKindAndTimes_ThroughStoreAndLease_AndIsNoneOfTheTenantsProductions()
    {
        var tenants = new TenantOptions();
        tenants.Overrides["t1"] = new TenantLimits { MaxQueued = 1 };
        await using var h = await StateHarness.ConnectAsync(server, tenants: tenants);
        var render = await h.CreateAsync();
        // The tenant's queue is full, but a preview is the farm's work: it does not count.
        var outcome = await h.Productions.CreateAsync("t1", StateHarness.Request(priority: Priority.High), 3, TimeSpan.FromHours(1), JobKinds.Preview([0.5, 1.25]));
        Assert.False(outcome.QueueFull);
        var preview = outcome.Production!.Production.Id;

        var stored = await h.Productions.GetAsync("t1", preview, JobSpec.Types.Kind.Preview);
        Assert.Equal((JobSpec.Types.Kind.Preview, "t1"), (stored!.Job.Kind, stored.Owner));
        Assert.Equal([0.5, 1.25], stored.Job.Preview.Times);
        Assert.Empty(stored.Production.Labels);
        Assert.Null(await h.Productions.GetAsync("t1", preview));
        Assert.Equal(JobSpec.Types.Kind.Render, (await h.Productions.GetAsync("t1", render))!.Job.Kind);
        Assert.Null(await h.Productions.GetAsync("t1", render, JobSpec.Types.Kind.Preview));
        Assert.Equal([render], (await h.Productions.ListAsync("t1", 10, null, null, Production.Types.State.Unspecified)).Items.Select(p => p.Production.Id));

        var leases = new[] { await h.Leases.DispatchAsync("n1", Ttl), await h.Leases.DispatchAsync("n1", Ttl) }.ToDictionary(l => l!.ProductionId, l => l!.Job);
        Assert.Equal(JobSpec.Types.Kind.Preview, leases[preview].Kind);
        Assert.Equal([0.5, 1.25], leases[preview].Preview.Times);
        Assert.Equal(JobSpec.Types.Kind.Render, leases[render].Kind);
    }
}

public sealed class JobKindScriptsOnGarnet(GarnetServerFixture fixture) : JobKindScriptTests(fixture.Server), IClassFixture<GarnetServerFixture>;

public sealed class JobKindScriptsOnRedis(RedisServerFixture fixture) : JobKindScriptTests(fixture.Server), IClassFixture<RedisServerFixture>;
