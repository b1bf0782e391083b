using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Facade;
using RenderFarm.Facade.Productions;
using RenderFarm.State;
using RenderFarm.Testing;
using StackExchange.Redis;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>
/// Finished productions are read from the facade's own cache (FinishedProductions), byte for byte
/// what transcoding writes, and dropped the moment they change: deleted here or through another
/// facade, or their output expired. Running productions are always read from Redis.
/// </summary>
public abstract partial class FarmSuite
{
    [Fact]
    public async Task FinishedProduction_IsReadFromTheFacadesCache_ByteForByte_UntilDeleted()
    {
        var id = await RenderColorAsync("#102030", 0.4);

        // The first read fills the cache, the second writes the JSON through transcoding and keeps
        // it, the third and later answer with those bytes: all four the same, with the key's headers.
        var reads = new List<(byte[] Body, string? Type, string? Remaining)>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await Farm.Http.GetAsync($"/v1/productions/{id}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            reads.Add((await response.Content.ReadAsByteArrayAsync(), response.Content.Headers.ContentType?.ToString(),
                response.Headers.TryGetValues("X-RateLimit-Remaining", out var left) ? left.Single() : null));
        }

        var kept = Farm.Host.FacadeServices.GetRequiredService<FinishedProductions>().Find("default", id);
        Assert.NotNull(kept?.Json);
        Assert.Equal(reads[0].Body, kept.Json.Body);
        Assert.All(reads, r => Assert.Equal(reads[0].Body, r.Body));
        Assert.All(reads, r => Assert.Equal("application/json; charset=utf-8", r.Type));
        Assert.All(reads, r => Assert.NotNull(r.Remaining));
        var body = JsonNode.Parse(reads[0].Body)!;
        Assert.Equal("SUCCEEDED", body["state"]!.GetValue<string>());
        Assert.StartsWith("http", body["result"]!["url"]!.GetValue<string>(), StringComparison.Ordinal);

        // Proof that it is the cache answering: a change behind the farm's back is not seen...
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Server.Configuration);
        await redis.GetDatabase().HashSetAsync($"{Farm.KeyPrefix}prod:{id}", "stage", "changed behind the farm's back");
        Assert.Equal("done", (await Rest.GetAsync(Farm.Http, id))["stage"]!.GetValue<string>());

        // ...but a delete through this facade is, on the very next read.
        var (deleted, _) = await Rest.SendAsync(Farm.Http, HttpMethod.Delete, $"/v1/productions/{id}");
        Assert.Equal(HttpStatusCode.OK, deleted);
        var (after, error) = await Rest.SendAsync(Farm.Http, HttpMethod.Get, $"/v1/productions/{id}");
        Assert.Equal(HttpStatusCode.NotFound, after);
        Assert.Contains(ErrorReasons.ProductionNotFound, error!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FinishedProduction_ChangedThroughAnotherFacade_IsDroppedFromThisFacadesCache()
    {
        var expiring = await RenderColorAsync("#203040", 0.4);
        var deleting = await RenderColorAsync("#304050", 0.4);
        foreach (var id in new[] { expiring, deleting })
        {
            await Rest.GetAsync(Farm.Http, id);
            await Rest.GetAsync(Farm.Http, id);
        }

        // Another facade's stores on their own connection: only the published change can reach this one.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Server.Configuration);
        var options = Options.Create(new StateOptions { Configuration = Server.Configuration, KeyPrefix = Farm.KeyPrefix });
        Assert.True(await new OutputIndex(redis, options, TimeProvider.System).ExpireAsync(expiring));
        await Wait.UntilAsync(async () => (await Rest.GetAsync(Farm.Http, expiring))["result"]?["expired"]?.GetValue<bool>() == true,
            TimeSpan.FromSeconds(10), "the expired output to show");
        Assert.Equal("", (await Rest.GetAsync(Farm.Http, expiring))["result"]!["url"]?.GetValue<string>() ?? "");

        var store = new ProductionStore(redis, options, TimeProvider.System);
        Assert.True(await store.DeleteAsync("default", deleting));
        await Wait.UntilAsync(async () => (await Rest.SendAsync(Farm.Http, HttpMethod.Get, $"/v1/productions/{deleting}")).Status == HttpStatusCode.NotFound,
            TimeSpan.FromSeconds(10), "the deleted production to be gone");
    }

    [Fact]
    public async Task CachedFinishedProduction_IsStillNotFound_ForAnotherTenant()
    {
        using var mine = Farm.HttpFor(await CreateKeyAsync(Farm, "cache-a-" + Unique(), ["RENDER"]));
        using var theirs = Farm.HttpFor(await CreateKeyAsync(Farm, "cache-b-" + Unique(), ["RENDER"]));
        var json = Rest.Json(new { canvas = new { width = 160, height = 120, segments = new object[] { new { color = new { color = "#405060" }, duration = 0.4 } } }, output = new { quality = "DRAFT" } });
        var id = (await Rest.CreateAsync(mine, json))["id"]!.GetValue<string>();
        Assert.Equal("SUCCEEDED", (await Rest.ReadEventsAsync(mine, id))[^1].Data["production"]!["state"]!.GetValue<string>());
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Rest.SendAsync(mine, HttpMethod.Get, $"/v1/productions/{id}")).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await Rest.SendAsync(theirs, HttpMethod.Get, $"/v1/productions/{id}")).Status);
        }
    }

    [Fact]
    public async Task RunningProduction_IsAlwaysReadFromRedis()
    {
        // Queued for a pool nobody has: it waits, unfinished, for as long as the test needs.
        var json = Rest.Json(new
        {
            canvas = new { width = 160, height = 120, segments = new object[] { new { color = new { color = "#506070" }, duration = 1 } } },
            placement = new { required = new { labels = new { pool = "nobody-has-" + Unique() } } },
        });
        var id = (await Rest.CreateAsync(Farm.Http, json))["id"]!.GetValue<string>();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Server.Configuration);
        for (var i = 0; i < 3; i++)
        {
            var stage = $"stage {i}";
            await redis.GetDatabase().HashSetAsync($"{Farm.KeyPrefix}prod:{id}", "stage", stage);
            var read = await Rest.GetAsync(Farm.Http, id);
            Assert.Equal("QUEUED", read["state"]!.GetValue<string>());
            Assert.Equal(stage, read["stage"]!.GetValue<string>());
        }

        var (cancelled, _) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, $"/v1/productions/{id}:cancel", "{}");
        Assert.Equal(HttpStatusCode.OK, cancelled);
        Assert.Equal("CANCELLED", (await Rest.GetAsync(Farm.Http, id))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task FinishedProductionsCache_StaysWithinItsBounds_AndEntriesGoStale()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Server.Configuration);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new ProductionStore(redis, Options.Create(new StateOptions { Configuration = Server.Configuration, KeyPrefix = Farm.KeyPrefix }), time);
        var cache = new FinishedProductions(store, redis, time, Options.Create(new FacadeOptions { FinishedCacheTtl = TimeSpan.FromSeconds(30) }));

        // Views of about 1 MiB each (a canvas with a long text): the cache never holds much more than its bytes allow.
        var canvas = new Canvas();
        canvas.Segments.Add(new Segment { Text = new TextOverlay { Text = new string('x', 1 << 20) }, Duration = 1 });
        for (var i = 0; i < 100; i++)
        {
            cache.Keep("t", $"p{i}", new Production { Id = $"p{i}", State = Production.Types.State.Succeeded, Canvas = canvas }, cache.Generation);
            Assert.True(cache.Count <= FinishedProductions.MaxBytes / (1 << 20), $"{cache.Count} entries of 1 MiB kept");
        }

        Assert.NotNull(cache.Find("t", "p99"));
        Assert.Null(cache.Find("other tenant", "p99"));

        // Running productions are never kept; a kept one goes stale after the TTL.
        cache.Keep("t", "running", new Production { Id = "running", State = Production.Types.State.Running }, cache.Generation);
        Assert.Null(cache.Find("t", "running"));
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Null(cache.Find("t", "p99"));

        // A read that raced a change (the generation moved on) is not kept.
        var before = cache.Generation;
        cache.Forget("elsewhere");
        cache.Keep("t", "raced", new Production { Id = "raced", State = Production.Types.State.Failed }, before);
        Assert.Null(cache.Find("t", "raced"));
    }
}
