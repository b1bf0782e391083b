using System.Net;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>A key's own rate limits: set at create, changed by update, laid over its tenant's.</summary>
public abstract partial class FarmSuite
{
    [Fact]
    public async Task KeyWithASmallReadBurst_GetsRateLimited_WhereItsTenantWouldNot_AndAnUpdateRaisesIt()
    {
        var tenant = "keylimits-" + Unique();
        var farm = Farm;
        var (status, body) = await Rest.SendAsync(farm.Http, HttpMethod.Post, "/v1/apiKeys",
            Rest.Json(new { tenant, scopes = new[] { "RENDER" }, rateLimits = new { readsPerMinute = 1, readBurst = 2 } }));
        Assert.True(status == HttpStatusCode.OK, $"create key answered {status}: {body}");
        var id = body!["apiKey"]!["id"]!.GetValue<string>();
        Assert.Equal((1, 2), (body["apiKey"]!["rateLimits"]!["readsPerMinute"]!.GetValue<int>(), body["apiKey"]!["rateLimits"]!["readBurst"]!.GetValue<int>()));
        Assert.Null(body["apiKey"]!["rateLimits"]!["maxStreams"]);
        using var limited = farm.HttpFor(body["key"]!.GetValue<string>());
        using var plain = farm.HttpFor(await CreateKeyAsync(farm, tenant, ["RENDER"]));

        for (var i = 0; i < 2; i++)
        {
            using var read = await limited.GetAsync("/v1/productions");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal("2", read.Headers.GetValues("X-RateLimit-Limit").Single());
        }

        (status, body) = await Rest.SendAsync(limited, HttpMethod.Get, "/v1/productions");
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal(("RATE_LIMITED", "reads"), (Reason(body), Info(body)!["metadata"]!["budget"]!.GetValue<string>()));

        // The same tenant's key without limits of its own reads on under the tenant's.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Rest.SendAsync(plain, HttpMethod.Get, "/v1/productions")).Status);
        }

        // Raise it: 10 reads a millisecond refill the empty bucket before the next read.
        var updated = await SendOkAsync(farm.Http, HttpMethod.Patch, $"/v1/apiKeys/{id}?updateMask=rateLimits",
            Rest.Json(new { rateLimits = new { readsPerMinute = 600_000, readBurst = 100 } }));
        Assert.Equal(100, updated["rateLimits"]!["readBurst"]!.GetValue<int>());
        for (var i = 0; i < 5; i++)
        {
            using var read = await limited.GetAsync("/v1/productions");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal("100", read.Headers.GetValues("X-RateLimit-Limit").Single());
        }

        // One limit back to the tenant's, then all of them.
        updated = await SendOkAsync(farm.Http, HttpMethod.Patch, $"/v1/apiKeys/{id}?updateMask=rateLimits.readBurst", "{}");
        Assert.Equal((600_000, null), (updated["rateLimits"]!["readsPerMinute"]!.GetValue<int>(), updated["rateLimits"]!["readBurst"]));
        updated = await SendOkAsync(farm.Http, HttpMethod.Patch, $"/v1/apiKeys/{id}?updateMask=rateLimits", Rest.Json(new { rateLimits = new { maxStreams = 3 } }));
        Assert.Equal((3, null), (updated["rateLimits"]!["maxStreams"]!.GetValue<int>(), updated["rateLimits"]!["readsPerMinute"]));
        var listed = await SendOkAsync(farm.Http, HttpMethod.Get, $"/v1/apiKeys?tenant={tenant}");
        Assert.Contains(listed["apiKeys"]!.AsArray(), k => k!["id"]!.GetValue<string>() == id && k["rateLimits"]?["maxStreams"]?.GetValue<int>() == 3);
    }

    [Fact]
    public async Task KeyRateLimits_OutOfRange_AreInvalidArgument_NamingTheField()
    {
        var tenant = "keylimits-" + Unique();
        var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/apiKeys",
            Rest.Json(new { tenant, scopes = new[] { "RENDER" }, rateLimits = new { readBurst = 0 } }));
        Assert.Equal((HttpStatusCode.BadRequest, "OUT_OF_RANGE", "rateLimits.readBurst"),
            (status, Reason(body), Info(body)!["metadata"]!["field"]!.GetValue<string>()));

        (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/apiKeys", Rest.Json(new { tenant, scopes = new[] { "RENDER" } }));
        var id = body!["apiKey"]!["id"]!.GetValue<string>();
        foreach (var (path, json, field, reason) in new[]
        {
            ($"/v1/apiKeys/{id}", Rest.Json(new { rateLimits = new { maxStreams = -1 } }), "apiKey.rateLimits.maxStreams", "OUT_OF_RANGE"),
            ($"/v1/apiKeys/{id}?updateMask=rateLimits", Rest.Json(new { rateLimits = new { requestsPerMinute = 2_000_000 } }), "apiKey.rateLimits.requestsPerMinute", "OUT_OF_RANGE"),
            ($"/v1/apiKeys/{id}?updateMask=rateLimits.nope", "{}", "updateMask", "UNKNOWN_FIELD"),
            ($"/v1/apiKeys/{id}?updateMask=displayName.x", "{}", "updateMask", "UNKNOWN_FIELD"),
        })
        {
            (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Patch, path, json);
            Assert.True(status == HttpStatusCode.BadRequest, $"{path} {json} answered {status}: {body}");
            Assert.Equal((reason, field), (Reason(body), Info(body)!["metadata"]!["field"]!.GetValue<string>()));
        }
    }
}
