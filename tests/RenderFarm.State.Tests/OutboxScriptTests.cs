using Microsoft.Extensions.Options;
using RenderFarm.Contracts.V1;
using RenderFarm.Testing;

namespace RenderFarm.State.Tests;

/// <summary>The webhook outbox and the output index, written by the final-state step; run on each server kind.</summary>
public abstract class OutboxScriptTests(RedisServer server)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);
    private const string Hook = "https://hooks.example.com/renders";

    [Fact]
    public async Task EachFinalState_QueuesOneDelivery_AndRetriesQueueNone()
    {
        await using var h = await StateHarness.ConnectAsync(server);
        var outbox = Outbox(h);
        var succeeded = await h.CreateAsync(webhookUrl: Hook);
        var lease = await h.Leases.DispatchAsync("n1", Ttl);
        await h.Leases.SucceedAsync(succeeded, lease!.Token, new RenderOutput { ObjectKey = $"productions/{succeeded}/1/output.mp4" }, 1, TimeSpan.FromSeconds(1));
        var failed = await h.CreateAsync(maxAttempts: 2, webhookUrl: Hook);
        lease = await h.Leases.DispatchAsync("n1", Ttl);
        await h.Leases.FailAsync(failed, lease!.Token, "RENDER_FAILED", "boom", retryable: true);
        Assert.Equal(1, await outbox.CountAsync()); // the retry requeued, it did not end
        h.Clock.Advance(TimeSpan.FromMinutes(2)); // past the retry backoff
        lease = await h.Leases.DispatchAsync("n1", Ttl);
        await h.Leases.FailAsync(failed, lease!.Token, "RENDER_FAILED", "boom", retryable: false);
        var cancelled = await h.CreateAsync(webhookUrl: Hook);
        await h.Productions.CancelAsync("t1", cancelled);

        var claimed = await outbox.ClaimAsync(10, TimeSpan.FromMinutes(1));
        Assert.Equal(
            [(succeeded, "production.succeeded"), (failed, "production.failed"), (cancelled, "production.cancelled")],
            claimed.Select(d => (d.ProductionId, d.Type)).OrderBy(p => p.Type == "production.succeeded" ? 0 : p.Type == "production.failed" ? 1 : 2));
        Assert.Equal(3, claimed.Select(d => d.EventId).Distinct().Count());
        Assert.All(claimed, d => Assert.Equal(1, d.Attempt));
    }

    [Fact]
    public async Task ClaimHidesADelivery_UntilItsTimeout_AndOnlyTheFirstSettleReschedules()
    {
        await using var h = await StateHarness.ConnectAsync(server);
        var outbox = Outbox(h);
        var id = await h.CreateAsync(webhookUrl: Hook);
        await h.Productions.CancelAsync("t1", id);

        var first = Assert.Single(await outbox.ClaimAsync(10, TimeSpan.FromSeconds(60)));
        Assert.Empty(await outbox.ClaimAsync(10, TimeSpan.FromSeconds(60)));
        h.Clock.Advance(TimeSpan.FromSeconds(61));
        var again = Assert.Single(await outbox.ClaimAsync(10, TimeSpan.FromSeconds(60)));
        Assert.Equal(first.EventId, again.EventId);

        Assert.True(await outbox.RetryAsync(first, h.Clock.GetUtcNow().AddSeconds(5)));
        Assert.False(await outbox.RetryAsync(again, h.Clock.GetUtcNow().AddSeconds(5)));
        Assert.Equal(1, await outbox.CountAsync());
        Assert.Empty(await outbox.ClaimAsync(10, TimeSpan.FromSeconds(60)));
        h.Clock.Advance(TimeSpan.FromSeconds(6));
        var second = Assert.Single(await outbox.ClaimAsync(10, TimeSpan.FromSeconds(60)));
        Assert.Equal((first.EventId, 2), (second.EventId, second.Attempt));

        Assert.True(await outbox.CompleteAsync(second));
        Assert.Equal(0, await outbox.CountAsync());
    }

    [Fact]
    public async Task WithoutAWebhook_NothingEntersTheOutbox_ButATenantDefaultCounts()
    {
        var tenants = new TenantOptions();
        tenants.Overrides["hooked"] = new TenantLimits { WebhookUrl = Hook };
        await using var h = await StateHarness.ConnectAsync(server, tenants: tenants);
        var outbox = Outbox(h);
        var plain = await h.CreateAsync();
        var preview = (await h.Productions.CreateAsync("t1", StateHarness.Request(webhookUrl: Hook), 3, TimeSpan.FromHours(1), JobKinds.Preview([0.5]))).Production!.Production.Id;
        var byDefault = await h.CreateAsync(tenant: "hooked");
        foreach (var id in new[] { plain, preview, byDefault })
        {
            var lease = await h.Leases.DispatchAsync("n1", Ttl);
            await h.Leases.SucceedAsync(lease!.ProductionId, lease.Token, new RenderOutput { ObjectKey = $"productions/{lease.ProductionId}/1/output.mp4" }, 1, TimeSpan.Zero);
        }

        var cancelled = await h.CreateAsync();
        await h.Productions.CancelAsync("t1", cancelled);
        var delivery = Assert.Single(await outbox.ClaimAsync(10, TimeSpan.FromMinutes(1)));
        Assert.Equal((byDefault, "production.succeeded"), (delivery.ProductionId, delivery.Type));
    }

    [Fact]
    public async Task SucceededOutput_IsIndexed_AndExpiring_MarksTheResult()
    {
        await using var h = await StateHarness.ConnectAsync(server);
        var index = new OutputIndex(h.Redis, Options.Create(new StateOptions { KeyPrefix = h.Prefix }), h.Clock);
        var id = await h.CreateAsync();
        var lease = await h.Leases.DispatchAsync("n1", Ttl);
        await h.Leases.SucceedAsync(id, lease!.Token, new RenderOutput { ObjectKey = $"productions/{id}/1/output.mp4", SizeBytes = 10 }, 1, TimeSpan.FromSeconds(1));

        Assert.Empty(await index.EndedBeforeAsync(h.Clock.GetUtcNow().AddSeconds(-1), 10));
        h.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal([id], await index.EndedBeforeAsync(h.Clock.GetUtcNow().AddMinutes(-30), 10));
        Assert.True(await index.ExpireAsync(id));

        var stored = await h.Productions.GetAsync("t1", id);
        Assert.True(stored!.OutputExpired);
        Assert.Equal(Production.Types.State.Succeeded, stored.Production.State);
        Assert.Empty(await index.EndedBeforeAsync(h.Clock.GetUtcNow(), 10));
    }

    private static WebhookOutbox Outbox(StateHarness h) =>
        new(h.Redis, Options.Create(new StateOptions { KeyPrefix = h.Prefix }), h.Clock);
}

public sealed class OutboxScriptsOnGarnet(GarnetServerFixture fixture) : OutboxScriptTests(fixture.Server), IClassFixture<GarnetServerFixture>;

public sealed class OutboxScriptsOnRedis(RedisServerFixture fixture) : OutboxScriptTests(fixture.Server), IClassFixture<RedisServerFixture>;
