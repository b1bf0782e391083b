using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.State;
using RenderFarm.Testing;
using StackExchange.Redis;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>API keys, scopes, tenant isolation, rate limits, quotas, idempotency and page tokens, as a client sees them.</summary>
public abstract partial class FarmSuite
{
    private static readonly string OneSecond = Rest.Json(new { canvas = new { width = 160, height = 120, segments = new object[] { new { color = new { color = "#123456" }, duration = 1 } } } });

    [Fact]
    public async Task ApiKeys_CreateListRevoke_RawKeyShownOnce_OnlyItsHashStored()
    {
        var (status, created) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/apiKeys",
            Rest.Json(new { tenant = "keys-" + Unique(), scopes = new[] { "RENDER", "PLAN" }, displayName = "ci" }));
        Assert.True(status == HttpStatusCode.OK, $"create key answered {status}: {created}");
        var raw = created!["key"]!.GetValue<string>();
        var id = created["apiKey"]!["id"]!.GetValue<string>();
        Assert.StartsWith("rf_", raw, StringComparison.Ordinal);
        Assert.True(raw.Length >= 40, "a key carries at least 32 random bytes");
        Assert.Equal(raw[..9], created["apiKey"]!["keyPrefix"]!.GetValue<string>());
        Assert.Equal(["PLAN", "RENDER"], created["apiKey"]!["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));

        var (_, list) = await Rest.SendAsync(Farm.Http, HttpMethod.Get, "/v1/apiKeys?pageSize=1000");
        var listed = list!["apiKeys"]!.AsArray().Single(k => k!["id"]!.GetValue<string>() == id)!;
        Assert.DoesNotContain(raw, list.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal($"apiKeys/{id}", listed["name"]!.GetValue<string>());

        // Nothing in the store holds the raw key; the key's record holds its SHA-256.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Server.Configuration);
        var db = redis.GetDatabase();
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(raw))).ToLowerInvariant();
        var record = await db.HashGetAllAsync($"{Farm.KeyPrefix}apikey:{id}");
        Assert.Contains(record, e => e.Name == "hash" && e.Value == hash);
        await foreach (var key in redis.GetServer(redis.GetEndPoints()[0]).KeysAsync(pattern: $"{Farm.KeyPrefix}*"))
        {
            Assert.DoesNotContain(raw, (string)key!, StringComparison.Ordinal);
            var type = await db.KeyTypeAsync(key);
            var values = type switch
            {
                RedisType.String => [(string?)await db.StringGetAsync(key)],
                RedisType.Hash => (await db.HashGetAllAsync(key)).Select(e => (string?)e.Value),
                _ => [],
            };
            Assert.DoesNotContain(values, v => v is not null && v.Contains(raw, StringComparison.Ordinal));
        }

        using var http = Farm.HttpFor(raw);
        Assert.Equal(HttpStatusCode.OK, (await Rest.SendAsync(http, HttpMethod.Get, "/v1/productions")).Status);
        var (revokeStatus, revoked) = await Rest.SendAsync(Farm.Http, HttpMethod.Delete, $"/v1/apiKeys/{id}");
        Assert.Equal(HttpStatusCode.OK, revokeStatus);
        Assert.NotNull(revoked!["revokeTime"]);
        var (after, body) = await Rest.SendAsync(http, HttpMethod.Get, "/v1/productions");
        Assert.Equal(HttpStatusCode.Unauthorized, after);
        Assert.Equal("API_KEY_INVALID", Reason(body));
        Assert.Equal(HttpStatusCode.OK, (await Rest.SendAsync(Farm.Http, HttpMethod.Delete, $"/v1/apiKeys/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Rest.SendAsync(Farm.Http, HttpMethod.Delete, "/v1/apiKeys/0123abcd")).Status);
    }

    [Fact]
    public async Task MissingOrInvalidKey_IsUnauthenticated_OnRestGrpcAndSse_ButHealthStaysOpen()
    {
        using var anonymous = Farm.HttpFor(null);
        using var response = await anonymous.GetAsync("/v1/productions");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("API_KEY_MISSING", Reason(JsonNode.Parse(await response.Content.ReadAsStringAsync())));
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/productions/0123abc/events")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Rest.SendAsync(anonymous, HttpMethod.Post, "/v1/productions", "{not json")).Status);

        using var forged = Farm.HttpFor("rf_" + new string('x', 43));
        var (status, body) = await Rest.SendAsync(forged, HttpMethod.Get, "/v1/productions");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("API_KEY_INVALID", Reason(body));

        using var channel = Farm.GrpcFor(null);
        var e = await Assert.ThrowsAsync<RpcException>(() => new ProductionService.ProductionServiceClient(channel)
            .GetProductionAsync(new GetProductionRequest { Id = "0123abc" }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Equal("API_KEY_MISSING", e.GetErrorInfo()?.Reason);
        using var forgedChannel = Farm.GrpcFor("rf_nope-nope-nope-nope-nope-nope-nope");
        e = await Assert.ThrowsAsync<RpcException>(() => new ProductionService.ProductionServiceClient(forgedChannel)
            .ListProductionsAsync(new ListProductionsRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Equal("API_KEY_INVALID", e.GetErrorInfo()?.Reason);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/readyz"))).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await anonymous.PostAsync("/healthz", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task WrongScope_IsPermissionDenied_NamingTheScope()
    {
        var tenant = "scopes-" + Unique();
        using var planOnly = Farm.HttpFor(await CreateKeyAsync(Farm, tenant, ["PLAN"]));
        var (status, body) = await Rest.SendAsync(planOnly, HttpMethod.Post, "/v1/productions", OneSecond);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("SCOPE_MISSING", Reason(body));
        Assert.Equal("RENDER", Info(body)!["metadata"]!["scope"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await planOnly.GetAsync("/v1/productions/0123abc/events")).StatusCode);
        // Usage needs no particular scope.
        Assert.Equal(HttpStatusCode.OK, (await Rest.SendAsync(planOnly, HttpMethod.Get, "/v1/usage")).Status);

        var renderKey = await CreateKeyAsync(Farm, tenant, ["RENDER"]);
        using var render = Farm.HttpFor(renderKey);
        (status, body) = await Rest.SendAsync(render, HttpMethod.Get, "/v1/apiKeys");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("ADMIN", Info(body)!["metadata"]!["scope"]!.GetValue<string>());
        using var channel = Farm.GrpcFor(renderKey);
        var e = await Assert.ThrowsAsync<RpcException>(() => new KeyService.KeyServiceClient(channel)
            .CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = tenant, Scopes = { ApiKey.Types.Scope.Admin } }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal("SCOPE_MISSING", e.GetErrorInfo()?.Reason);
        Assert.Equal("ADMIN", e.GetErrorInfo()?.Metadata["scope"]);
    }

    [Fact]
    public async Task Tenants_NeverSeeEachOthersProductions()
    {
        using var a = Farm.HttpFor(await CreateKeyAsync(Farm, "tenant-a-" + Unique(), ["RENDER"]));
        var bKey = await CreateKeyAsync(Farm, "tenant-b-" + Unique(), ["RENDER"]);
        using var b = Farm.HttpFor(bKey);
        var id = (await Rest.CreateAsync(a, OneSecond))["id"]!.GetValue<string>();
        Assert.Equal("SUCCEEDED", (await Rest.ReadEventsAsync(a, id))[^1].Data["production"]!["state"]!.GetValue<string>());
        Assert.NotNull((await Rest.GetAsync(a, id))["result"]!["url"]);

        foreach (var (method, path) in new[]
        {
            (HttpMethod.Get, $"/v1/productions/{id}"),
            (HttpMethod.Post, $"/v1/productions/{id}:cancel"),
            (HttpMethod.Get, $"/v1/productions/{id}:watch"),
            (HttpMethod.Get, $"/v1/productions/{id}/events"),
            (HttpMethod.Delete, $"/v1/productions/{id}"),
        })
        {
            var (status, body) = await Rest.SendAsync(b, method, path);
            Assert.True(status == HttpStatusCode.NotFound, $"{method} {path} answered {status}: {body}");
            Assert.Equal("PRODUCTION_NOT_FOUND", Reason(body));
        }

        var (_, list) = await Rest.SendAsync(b, HttpMethod.Get, "/v1/productions?pageSize=1000");
        Assert.DoesNotContain(id, list?.ToJsonString() ?? "", StringComparison.Ordinal);
        using var channel = Farm.GrpcFor(bKey);
        var client = new ProductionService.ProductionServiceClient(channel);
        var e = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var watch = client.WatchProduction(new WatchProductionRequest { Id = id });
            await watch.ResponseStream.MoveNext(CancellationToken.None);
        });
        Assert.Equal(StatusCode.NotFound, e.StatusCode);

        // A's production is untouched by B's attempts.
        Assert.Equal("SUCCEEDED", (await Rest.GetAsync(a, id))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task IdempotencyKeyHeader_RepeatsReturnTheOriginal_PerTenant()
    {
        await using var farm = await TestFarm.StartAsync(Server, nodes: 0);
        var requestId = Guid.NewGuid().ToString();
        var first = await CreateWithHeaderAsync(farm.Http, OneSecond, requestId);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        var again = await CreateWithHeaderAsync(farm.Http, OneSecond, requestId);
        Assert.Equal(first.Body!["id"]!.GetValue<string>(), again.Body!["id"]!.GetValue<string>());

        var other = Rest.Json(new { canvas = new { width = 160, height = 120, segments = new object[] { new { color = new { color = "#654321" }, duration = 1 } } } });
        var conflict = await CreateWithHeaderAsync(farm.Http, other, requestId);
        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);
        Assert.Equal("REQUEST_ID_REUSED", Reason(conflict.Body));

        var withBodyId = Rest.Json(new { canvas = new { width = 160, height = 120, segments = new object[] { new { color = new { color = "#654321" }, duration = 1 } } }, requestId = "another" });
        var mismatch = await CreateWithHeaderAsync(farm.Http, withBodyId, requestId);
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.Status);
        Assert.Equal("IDEMPOTENCY_KEY_MISMATCH", Reason(mismatch.Body));

        using var otherTenant = farm.HttpFor(await CreateKeyAsync(farm, "idem-" + Unique(), ["RENDER"]));
        var theirs = await CreateWithHeaderAsync(otherTenant, OneSecond, requestId);
        Assert.Equal(HttpStatusCode.OK, theirs.Status);
        Assert.NotEqual(first.Body["id"]!.GetValue<string>(), theirs.Body!["id"]!.GetValue<string>());
        Assert.Equal(2, await QueueLengthAsync(farm));
    }

    [Fact]
    public async Task PageTokens_AreSigned_BoundToTenantAndFilter_AndPagesAreNewestFirst()
    {
        await using var farm = await TestFarm.StartAsync(Server, nodes: 0);
        var tenant = "pages-" + Unique();
        using var http = farm.HttpFor(await CreateKeyAsync(farm, tenant, ["RENDER"]));
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await Rest.CreateAsync(http, OneSecond))["id"]!.GetValue<string>());
        }

        var (_, page1) = await Rest.SendAsync(http, HttpMethod.Get, "/v1/productions?pageSize=2");
        Assert.Equal([ids[2], ids[1]], page1!["productions"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
        var token = page1["nextPageToken"]!.GetValue<string>();
        var (_, page2) = await Rest.SendAsync(http, HttpMethod.Get, $"/v1/productions?pageSize=2&pageToken={Uri.EscapeDataString(token)}");
        Assert.Equal([ids[0]], page2!["productions"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
        Assert.True(string.IsNullOrEmpty(page2["nextPageToken"]?.GetValue<string>()), "the last page has no next token");

        var tampered = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];
        await AssertInvalidTokenAsync(http, $"/v1/productions?pageSize=2&pageToken={Uri.EscapeDataString(tampered)}");
        await AssertInvalidTokenAsync(http, $"/v1/productions?pageSize=2&state=QUEUED&pageToken={Uri.EscapeDataString(token)}");
        await AssertInvalidTokenAsync(farm.Http, $"/v1/productions?pageSize=2&pageToken={Uri.EscapeDataString(token)}");

        var (negative, body) = await Rest.SendAsync(http, HttpMethod.Get, "/v1/productions?pageSize=-1");
        Assert.Equal(HttpStatusCode.BadRequest, negative);
        Assert.Equal("pageSize", Info(body)!["metadata"]!["field"]!.GetValue<string>());
        var (huge, all) = await Rest.SendAsync(http, HttpMethod.Get, "/v1/productions?pageSize=100000");
        Assert.Equal(HttpStatusCode.OK, huge);
        Assert.Equal(3, all!["productions"]!.AsArray().Count);

        Assert.Equal(HttpStatusCode.OK, (await Rest.SendAsync(http, HttpMethod.Post, $"/v1/productions/{ids[1]}:cancel")).Status);
        var (_, cancelled) = await Rest.SendAsync(http, HttpMethod.Get, "/v1/productions?state=CANCELLED");
        Assert.Equal([ids[1]], cancelled!["productions"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RateLimit_PastTheBurst_Is429WithRetryAfter_AndHeadersOnEveryResponse()
    {
        await using var farm = await TestFarm.StartAsync(Server, nodes: 0, new Dictionary<string, string?>
        {
            // Lists are reads, which draw on the read bucket.
            ["RenderFarm:Tenants:Overrides:throttled:ReadsPerMinute"] = "1",
            ["RenderFarm:Tenants:Overrides:throttled:ReadBurst"] = "3",
        });
        using var http = farm.HttpFor(await CreateKeyAsync(farm, "throttled", ["RENDER"]));
        for (var i = 0; i < 3; i++)
        {
            using var ok = await http.GetAsync("/v1/productions");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("3", ok.Headers.GetValues("X-RateLimit-Limit").Single());
            Assert.Equal((2 - i).ToString(System.Globalization.CultureInfo.InvariantCulture), ok.Headers.GetValues("X-RateLimit-Remaining").Single());
            Assert.True(int.Parse(ok.Headers.GetValues("X-RateLimit-Reset").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        }

        using var refused = await http.GetAsync("/v1/productions");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("RATE_LIMITED", Reason(JsonNode.Parse(await refused.Content.ReadAsStringAsync())));
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal("0", refused.Headers.GetValues("X-RateLimit-Remaining").Single());

        // gRPC callers get the same facts as response metadata.
        using var channel = farm.GrpcFor(await CreateKeyAsync(farm, "throttled", ["RENDER"]));
        var client = new ProductionService.ProductionServiceClient(channel);
        for (var i = 0; i < 3; i++)
        {
            using var call = client.ListProductionsAsync(new ListProductionsRequest());
            var headers = await call.ResponseHeadersAsync;
            await call.ResponseAsync;
            Assert.Equal((2 - i).ToString(System.Globalization.CultureInfo.InvariantCulture), headers.GetValue("x-ratelimit-remaining"));
            Assert.Equal("3", headers.GetValue("x-ratelimit-limit"));
        }

        var e = await Assert.ThrowsAsync<RpcException>(() => client.ListProductionsAsync(new ListProductionsRequest()).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Equal("RATE_LIMITED", e.GetErrorInfo()?.Reason);
        Assert.NotNull(e.Trailers.GetValue("retry-after"));
        Assert.Equal("0", e.Trailers.GetValue("x-ratelimit-remaining"));

        // Another tenant's keys are not slowed down.
        Assert.Equal(HttpStatusCode.OK, (await farm.Http.GetAsync("/v1/productions")).StatusCode);
    }

    [Fact]
    public async Task TokenBucket_RefillsWithTheClock()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Server.Configuration);
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var buckets = new RequestBuckets(redis, Options.Create(new StateOptions { KeyPrefix = $"b{Unique()}:" }), time);
        Assert.True((await buckets.TakeAsync("k", requestsPerMinute: 60, burst: 2)).Allowed);
        var last = await buckets.TakeAsync("k", 60, 2);
        Assert.True(last.Allowed);
        Assert.Equal(0, last.Remaining);
        var refused = await buckets.TakeAsync("k", 60, 2);
        Assert.False(refused.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.RetryAfter);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await buckets.TakeAsync("k", 60, 2)).Allowed);
        Assert.False((await buckets.TakeAsync("k", 60, 2)).Allowed);
        time.Advance(TimeSpan.FromMinutes(10));
        var full = await buckets.TakeAsync("k", 60, 2);
        Assert.Equal(1, full.Remaining);
        Assert.Equal(TimeSpan.FromSeconds(1), full.Reset);
        Assert.Equal(1, (await buckets.TakeAsync("other", 60, 2)).Remaining);
    }

    [Fact]
    public async Task Quotas_RefuseBeforeQueueing_AndUsageShowsThem()
    {
        await using var farm = await TestFarm.StartAsync(Server, nodes: 0, new Dictionary<string, string?>
        {
            ["RenderFarm:Tenants:Overrides:metered:RenderSecondsPerMonth"] = "3",
            ["RenderFarm:Tenants:Overrides:metered:MaxQueued"] = "50",
        });
        using var http = farm.HttpFor(await CreateKeyAsync(farm, "metered", ["RENDER"]));
        var twoSeconds = Rest.Json(new { canvas = new { width = 160, height = 120, segments = new object[] { new { color = new { color = "#111111" }, duration = 2 } } } });
        var first = (await Rest.CreateAsync(http, twoSeconds))["id"]!.GetValue<string>();
        var queued = await QueueLengthAsync(farm);

        var (status, body) = await Rest.SendAsync(http, HttpMethod.Post, "/v1/productions", twoSeconds);
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("QUOTA_EXCEEDED", Reason(body));
        Assert.Equal("renderSecondsPerMonth", Info(body)!["metadata"]!["quota"]!.GetValue<string>());
        Assert.Equal(queued, await QueueLengthAsync(farm));

        var (_, usage) = await Rest.SendAsync(http, HttpMethod.Get, "/v1/usage");
        Assert.Equal("metered", usage!["tenant"]!.GetValue<string>());
        Assert.Equal(2, usage["renderedSeconds"]!.GetValue<double>());
        Assert.Equal(3, usage["renderedSecondsLimit"]!.GetValue<double>());
        Assert.Equal(1, usage["queued"]!.GetValue<int>());
        Assert.Equal(50, usage["maxQueued"]!.GetValue<int>());
        Assert.Equal(2, usage["key"]!["spentSeconds"]!.GetValue<double>());
        Assert.True(usage["rateLimit"]!["requestsPerMinute"]!.GetValue<int>() > 0);

        // Cancelled work is refunded, so the quota has room again.
        Assert.Equal(HttpStatusCode.OK, (await Rest.SendAsync(http, HttpMethod.Post, $"/v1/productions/{first}:cancel")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Rest.SendAsync(http, HttpMethod.Post, "/v1/productions", twoSeconds)).Status);

        // A key's spend cap applies whatever its tenant's quota.
        using var capped = farm.HttpFor(await CreateKeyAsync(farm, "capped-" + Unique(), ["RENDER"], spendLimitSeconds: 1.5));
        (status, body) = await Rest.SendAsync(capped, HttpMethod.Post, "/v1/productions", twoSeconds);
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("SPEND_CAP_EXCEEDED", Reason(body));
        Assert.Equal(HttpStatusCode.OK, (await Rest.SendAsync(capped, HttpMethod.Post, "/v1/productions", OneSecond)).Status);
    }

    [Fact]
    public async Task StoredBytesQuota_RefusesCreates_OnceTheTenantStoresItsQuota()
    {
        await using var farm = await TestFarm.StartAsync(Server, nodes: 1, new Dictionary<string, string?>
        {
            ["RenderFarm:Tenants:Overrides:hoarder:StoredBytes"] = "1",
        });
        using var http = farm.HttpFor(await CreateKeyAsync(farm, "hoarder", ["RENDER"]));
        var id = (await Rest.CreateAsync(http, OneSecond))["id"]!.GetValue<string>();
        Assert.Equal("SUCCEEDED", (await Rest.ReadEventsAsync(http, id))[^1].Data["production"]!["state"]!.GetValue<string>());
        var (_, usage) = await Rest.SendAsync(http, HttpMethod.Get, "/v1/usage");
        Assert.True(long.Parse(usage!["storedBytes"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture) > 1);

        var (status, body) = await Rest.SendAsync(http, HttpMethod.Post, "/v1/productions", OneSecond);
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("QUOTA_EXCEEDED", Reason(body));
        Assert.Equal("storedBytes", Info(body)!["metadata"]!["quota"]!.GetValue<string>());

        // Deleting the output makes room again.
        Assert.Equal(HttpStatusCode.OK, (await Rest.SendAsync(http, HttpMethod.Delete, $"/v1/productions/{id}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Rest.SendAsync(http, HttpMethod.Post, "/v1/productions", OneSecond)).Status);
    }

    [Theory]
    [InlineData("/v1/productions?pageSize=abc", "pageSize", "INVALID_TYPE")]
    [InlineData("/v1/productions?state=BOGUS", "state", "INVALID_ENUM")]
    [InlineData("/v1/productions?state=queued", "state", "INVALID_ENUM")]
    [InlineData("/v1/apiKeys?pageSize=1.5", "pageSize", "INVALID_TYPE")]
    public async Task BadQueryParameter_IsInvalidArgument_NamingTheField(string path, string field, string reason)
    {
        var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(reason, Reason(body));
        Assert.Equal(field, Info(body)!["metadata"]!["field"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await Rest.SendAsync(Farm.Http, HttpMethod.Get, "/v1/productions?state=QUEUED&pageSize=2&unrelated=x")).Status);
    }

    private static async Task<string> CreateKeyAsync(TestFarm farm, string tenant, string[] scopes, double spendLimitSeconds = 0)
    {
        var (status, body) = await Rest.SendAsync(farm.Http, HttpMethod.Post, "/v1/apiKeys", Rest.Json(new { tenant, scopes, spendLimitSeconds }));
        Assert.True(status == HttpStatusCode.OK, $"create key answered {status}: {body}");
        return body!["key"]!.GetValue<string>();
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> CreateWithHeaderAsync(HttpClient http, string json, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/productions") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    private static async Task AssertInvalidTokenAsync(HttpClient http, string path)
    {
        var (status, body) = await Rest.SendAsync(http, HttpMethod.Get, path);
        Assert.True(status == HttpStatusCode.BadRequest, $"{path} answered {status}: {body}");
        Assert.Equal("INVALID_PAGE_TOKEN", Reason(body));
    }

    private async Task<long> QueueLengthAsync(TestFarm farm)
    {
        // Queues are per tenant and placement; every tenant keeps a count of its waiting work.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Server.Configuration);
        long total = 0;
        await foreach (var key in redis.GetServers()[0].KeysAsync(pattern: $"{farm.KeyPrefix}tenant:*:queued"))
        {
            total += (long)await redis.GetDatabase().StringGetAsync(key);
        }
        return total;
    }

    private static JsonNode? Info(JsonNode? body) =>
        body?["details"]?.AsArray().FirstOrDefault(d => d!["@type"]!.GetValue<string>().EndsWith("ErrorInfo", StringComparison.Ordinal));

    private static string? Reason(JsonNode? body) => Info(body)?["reason"]?.GetValue<string>();

    private static string Unique() => Guid.NewGuid().ToString("N")[..8];
}
