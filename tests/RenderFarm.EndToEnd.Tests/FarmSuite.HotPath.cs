using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RenderFarm.Facade.Auth;
using RenderFarm.Facade.RateLimiting;
using RenderFarm.State;
using RenderFarm.Testing;
using StackExchange.Redis;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>
/// The authenticated request's hot path: keys cached per facade (and dropped everywhere when they
/// change), request tokens taken in batches by a key that calls fast, never more than its limit.
/// </summary>
public abstract partial class FarmSuite
{
    [Fact]
    public async Task RevokedKey_IsDroppedFromAnotherFacadesKeyCache_AtOnce()
    {
        var raw = await CreateKeyAsync(Farm, "cache-" + Unique(), ["RENDER"]);
        using var http = Farm.HttpFor(raw);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/productions")).StatusCode);

        // A second facade's cache on the same Redis, trusting what it looked up for ten minutes:
        // only the store's notification can make it forget.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Server.Configuration);
        var store = new ApiKeyStore(redis, Options.Create(new StateOptions { Configuration = Server.Configuration, KeyPrefix = Farm.KeyPrefix }), TimeProvider.System);
        IHostedService other = new ApiKeyCache(store, redis, TimeProvider.System, Options.Create(new AuthOptions { KeyCacheTtl = TimeSpan.FromMinutes(10) }));
        await other.StartAsync(CancellationToken.None);
        var cache = (ApiKeyCache)other;
        var key = await cache.FindAsync(raw);
        Assert.NotNull(key);
        Assert.False(key.IsRevoked);
        Assert.Equal(1, cache.Count);

        var (status, _) = await Rest.SendAsync(Farm.Http, HttpMethod.Delete, $"/v1/apiKeys/{key.Id}");
        Assert.Equal(HttpStatusCode.OK, status);

        // The facade that revoked it refuses it on the next request; the other within a publish.
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/v1/productions")).StatusCode);
        await Wait.UntilAsync(async () => (await cache.FindAsync(raw))?.IsRevoked == true, TimeSpan.FromSeconds(10), "the other facade to drop the revoked key");
    }

    [Fact]
    public async Task AFastKey_TakesTokensInBatches_AndTwoFacadesTogetherNeverExceedTheBurst()
    {
        var buckets = Farm.Host.FacadeServices.GetRequiredService<RequestBuckets>();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var bucket = "held-" + Unique();
        const int burst = 50; // batches of at most 5
        var a = new HeldTokens(buckets, time);
        var b = new HeldTokens(buckets, time);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Server.Configuration);
        async Task<double> InRedis() => (double)await redis.GetDatabase().HashGetAsync($"{Farm.KeyPrefix}rate:{bucket}", "tokens");

        // Calls in quick succession: 1, then 2, then 4, then 5 (a tenth of the burst) at a time.
        var first = await a.TakeAsync(bucket, 1, burst);
        Assert.True(first.Allowed);
        Assert.Equal(49, first.Remaining);
        Assert.Equal(49, await InRedis(), 0);
        await a.TakeAsync(bucket, 1, burst);
        Assert.Equal(47, await InRedis(), 0);
        var local = await a.TakeAsync(bucket, 1, burst);
        Assert.Equal(47, await InRedis(), 0);
        Assert.Equal(47, local.Remaining);
        await a.TakeAsync(bucket, 1, burst);
        Assert.Equal(43, await InRedis(), 0);

        // Two facades taking alternately until both are refused: exactly the burst is allowed.
        var allowed = 4;
        for (var i = 0; i < 120; i++)
        {
            if ((await (i % 2 == 0 ? a : b).TakeAsync(bucket, 1, burst)).Allowed)
            {
                allowed++;
            }
        }

        Assert.Equal(burst, allowed);
    }

    [Fact]
    public async Task ASlowKey_TakesOneTokenPerRequest_AndHeldTokensExpire()
    {
        var buckets = Farm.Host.FacadeServices.GetRequiredService<RequestBuckets>();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var bucket = "slow-" + Unique();
        var held = new HeldTokens(buckets, time);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Server.Configuration);
        async Task<double> InRedis() => (double)await redis.GetDatabase().HashGetAsync($"{Farm.KeyPrefix}rate:{bucket}", "tokens");

        for (var i = 1; i <= 5; i++)
        {
            var decision = await held.TakeAsync(bucket, 1, 100);
            Assert.Equal(100 - i, decision.Remaining);
            Assert.Equal(100 - i, await InRedis(), 0);
            time.Advance(HeldTokens.Window * 2);
        }

        // A burst takes a batch; a pause longer than the held tokens' lifetime drops what is left.
        for (var i = 0; i < 4; i++)
        {
            await held.TakeAsync(bucket, 1, 100);
        }

        var before = await InRedis();
        time.Advance(HeldTokens.Lifetime + TimeSpan.FromSeconds(1));
        await held.TakeAsync(bucket, 1, 100);
        Assert.Equal(before - 1, await InRedis(), 0);
    }
}
