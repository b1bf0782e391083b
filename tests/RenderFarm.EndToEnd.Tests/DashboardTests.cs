using System.Net;
using System.Text.Json.Nodes;
using RenderFarm.Contracts;
using RenderFarm.Testing;
using Xunit.Abstractions;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>A farm on Garnet whose watch tokens live five seconds, so their expiry is seen in a test.</summary>
public sealed class DashboardFarmFixture() : GarnetFarmWith(1, new() { ["RenderFarm:Auth:WatchTokenTtl"] = "00:00:05" });

/// <summary>
/// The dashboard at /ui and what it stands on: its static assets, watch tokens for SSE, the queue
/// census; and (DashboardTests.Browser) the page itself in headless Chromium.
/// </summary>
public sealed partial class DashboardTests(DashboardFarmFixture fixture, ITestOutputHelper output) : IClassFixture<DashboardFarmFixture>
{
    private static readonly string OneSecond = Rest.Json(new { canvas = new { width = 160, height = 120, segments = new object[] { new { color = new { color = "#123456" }, duration = 1 } } } });

    private TestFarm Farm => fixture.Farm;

    [Fact]
    public async Task WatchToken_StreamsItsProduction_AndIsRefusedForged_Expired_Revoked_OrForAnotherProductionOrTenant()
    {
        var tenantA = "watch-a-" + Unique();
        var keyA = await CreateKeyAsync(tenantA, ["RENDER"]);
        using var a = Farm.HttpFor(keyA);
        using var b = Farm.HttpFor(await CreateKeyAsync("watch-b-" + Unique(), ["RENDER"]));
        using var anonymous = Farm.HttpFor(null);
        var id = (await Rest.CreateAsync(a, OneSecond))["id"]!.GetValue<string>();
        var other = (await Rest.CreateAsync(a, OneSecond))["id"]!.GetValue<string>();

        // A token bound to the production streams it, with no Authorization header, to its final state.
        var minted = await MintAsync(a, id);
        Assert.Equal(id, minted["production"]!.GetValue<string>());
        Assert.True(DateTimeOffset.Parse(minted["expireTime"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow);
        var token = minted["token"]!.GetValue<string>();
        var events = await Rest.ReadEventsAsync(anonymous, id, query: $"watchToken={Uri.EscapeDataString(token)}");
        Assert.Equal("SUCCEEDED", events[^1].Data["production"]!["state"]!.GetValue<string>());

        // It opens nothing but that production's events: not another production, not the API.
        // (Tokens here live five seconds: each check mints its own.)
        await AssertRefusedAsync(anonymous, $"/v1/productions/{other}/events?watchToken={await TokenAsync(a, id)}", HttpStatusCode.NotFound, ErrorReasons.ProductionNotFound);
        await AssertRefusedAsync(anonymous, $"/v1/productions/{id}?watchToken={await TokenAsync(a, id)}", HttpStatusCode.Unauthorized, ErrorReasons.ApiKeyMissing);

        // Forged: a changed signature, or a payload naming another tenant under the old signature.
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        var badMac = token[..(dot + 1)] + (token[dot + 1] == 'A' ? 'B' : 'A') + token[(dot + 2)..];
        var otherTenant = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(
            System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(0, dot))).Replace(tenantA, "watch-b", StringComparison.Ordinal))) + token[dot..];
        foreach (var forged in new[] { badMac, otherTenant, "nonsense", token[..dot] })
        {
            await AssertRefusedAsync(anonymous, $"/v1/productions/{id}/events?watchToken={Uri.EscapeDataString(forged)}", HttpStatusCode.Unauthorized, ErrorReasons.WatchTokenInvalid);
        }

        // Another tenant: its tenant-wide token does not reach A's production, nor can it mint one for it.
        var wide = await MintAsync(b, "");
        Assert.Equal("", wide["production"]?.GetValue<string>() ?? "");
        await AssertRefusedAsync(anonymous, $"/v1/productions/{id}/events?watchToken={await TokenAsync(b, "")}", HttpStatusCode.NotFound, ErrorReasons.ProductionNotFound);
        var (status, body) = await Rest.SendAsync(b, HttpMethod.Post, "/v1/watchTokens", Rest.Json(new { production = id }));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(ErrorReasons.ProductionNotFound, Reason(body));

        // A tenant-wide token of A opens any of A's productions.
        Assert.Equal("SUCCEEDED", (await Rest.ReadEventsAsync(anonymous, other, query: $"watchToken={await TokenAsync(a, "")}"))[^1].Data["production"]!["state"]!.GetValue<string>());

        // Expired: the first token, once its five seconds are up.
        // (While it is valid the route answers with the event stream, not JSON: only the status is read.)
        await Wait.UntilAsync(async () =>
        {
            using var response = await anonymous.GetAsync($"/v1/productions/{id}/events?watchToken={Uri.EscapeDataString(token)}", HttpCompletionOption.ResponseHeadersRead);
            return response.StatusCode != HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(30), "the watch token to expire");
        await AssertRefusedAsync(anonymous, $"/v1/productions/{id}/events?watchToken={Uri.EscapeDataString(token)}", HttpStatusCode.Unauthorized, ErrorReasons.WatchTokenExpired);

        // Revoked: a token outlives no key that minted it.
        var revokable = (await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/apiKeys", Rest.Json(new { tenant = tenantA, scopes = new[] { "RENDER" } }))).Body!;
        using var c = Farm.HttpFor(revokable["key"]!.GetValue<string>());
        var fresh = await TokenAsync(c, id);
        Assert.Equal(HttpStatusCode.OK, (await Rest.SendAsync(Farm.Http, HttpMethod.Delete, $"/v1/apiKeys/{revokable["apiKey"]!["id"]!.GetValue<string>()}")).Status);
        await AssertRefusedAsync(anonymous, $"/v1/productions/{id}/events?watchToken={fresh}", HttpStatusCode.Unauthorized, ErrorReasons.WatchTokenInvalid);
    }

    [Fact]
    public async Task Queue_CountsWaitingByTenantAndPriority_ForAdminsOnly()
    {
        var (status, queue) = await Rest.SendAsync(Farm.Http, HttpMethod.Get, "/v1/queue");
        Assert.True(status == HttpStatusCode.OK, $"queue answered {status}: {queue}");
        Assert.NotNull(queue!["running"]);
        using var render = Farm.HttpFor(await CreateKeyAsync("queue-" + Unique(), ["RENDER"]));
        var (refused, body) = await Rest.SendAsync(render, HttpMethod.Get, "/v1/queue");
        Assert.Equal(HttpStatusCode.Forbidden, refused);
        Assert.Equal(ErrorReasons.ScopeMissing, Reason(body));
    }

    [Fact]
    public async Task Ui_ServesItsAssets_WithTypesCachingAndAPolicy_AndStaysOutOfOpenApi()
    {
        using var anonymous = Farm.HttpFor(null);
        using var root = await anonymous.GetAsync("/ui");
        Assert.Equal(HttpStatusCode.OK, root.StatusCode); // redirected to /ui/
        Assert.Equal("/ui/", root.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("text/html", root.Content.Headers.ContentType!.MediaType);
        var csp = root.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", root.Headers.GetValues("X-Content-Type-Options").Single());

        foreach (var (path, type) in new[] { ("/ui/js/app.js", "text/javascript"), ("/ui/app.css", "text/css"), ("/ui/sample-canvas.json", "application/json") })
        {
            using var response = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
            Assert.Equal("no-cache", response.Headers.CacheControl!.ToString());
            using var again = new HttpRequestMessage(HttpMethod.Get, path);
            again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
            Assert.Equal(HttpStatusCode.NotModified, (await anonymous.SendAsync(again)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/ui/nope.js")).StatusCode);
        // Files are looked up by name among the embedded ones: an escaped path reaches nothing else.
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/ui/..%2F..%2Fappsettings.json")).StatusCode);

        // The sample the submit page starts from renders as it stands.
        var sample = await anonymous.GetStringAsync("/ui/sample-canvas.json");
        var (planned, plan) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/plans", Rest.Json(new { canvas = JsonNode.Parse(sample)!["canvas"], skipPreviews = true }));
        Assert.True(planned == HttpStatusCode.OK, plan?.ToJsonString());
        Assert.Empty(plan!["warnings"]?.AsArray() ?? []);

        var (_, doc) = await Rest.SendAsync(Farm.Http, HttpMethod.Get, "/openapi/v1.json");
        Assert.DoesNotContain(doc!["paths"]!.AsObject(), p => p.Key.StartsWith("/ui", StringComparison.Ordinal));
        Assert.Contains(doc["paths"]!["/v1/productions/{id}/events"]!["get"]!["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "watchToken");
        Assert.NotNull(doc["paths"]!["/v1/watchTokens"]?["post"]);
        Assert.NotNull(doc["paths"]!["/v1/queue"]?["get"]);
    }

    private static async Task AssertRefusedAsync(HttpClient http, string path, HttpStatusCode expected, string reason)
    {
        var (status, body) = await Rest.SendAsync(http, HttpMethod.Get, path);
        Assert.True(status == expected, $"GET {path} answered {status}: {body}");
        Assert.Equal(reason, Reason(body));
    }

    private static async Task<JsonNode> MintAsync(HttpClient http, string production)
    {
        var (status, body) = await Rest.SendAsync(http, HttpMethod.Post, "/v1/watchTokens", Rest.Json(new { production }));
        Assert.True(status == HttpStatusCode.OK, $"watch token answered {status}: {body}");
        return body!;
    }

    private static async Task<string> TokenAsync(HttpClient http, string production) =>
        Uri.EscapeDataString((await MintAsync(http, production))["token"]!.GetValue<string>());

    private async Task<string> CreateKeyAsync(string tenant, string[] scopes)
    {
        var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/apiKeys", Rest.Json(new { tenant, scopes }));
        Assert.True(status == HttpStatusCode.OK, $"create key answered {status}: {body}");
        return body!["key"]!.GetValue<string>();
    }

    private static string? Reason(JsonNode? body) =>
        body?["details"]?.AsArray().FirstOrDefault(d => d?["@type"]?.GetValue<string>().EndsWith("ErrorInfo", StringComparison.Ordinal) == true)?["reason"]?.GetValue<string>();

    private static string Unique() => Guid.NewGuid().ToString("N")[..8];
}
