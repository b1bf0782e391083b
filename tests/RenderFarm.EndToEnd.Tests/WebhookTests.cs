using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using RenderFarm.Testing;
using StackExchange.Redis;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>A farm on Garnet whose webhooks go to a loopback receiver, with fast retries.</summary>
public sealed class WebhookFarmFixture : IAsyncLifetime
{
    public const string Secret = "whsec-test-0123456789abcdef0123456789abcdef";

    public RedisServer Server { get; private set; } = null!;
    public TestFarm Farm { get; private set; } = null!;
    internal WebhookReceiver Receiver { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = RedisServer.StartGarnet();
        Receiver = await WebhookReceiver.StartAsync();
        Farm = await TestFarm.StartAsync(Server, extra: new Dictionary<string, string?>
        {
            ["RenderFarm:Webhooks:SigningSecret"] = Secret,
            ["RenderFarm:Webhooks:AllowedHosts:0"] = "127.0.0.1",
            ["RenderFarm:Webhooks:FirstRetryDelay"] = "00:00:00.200",
            ["RenderFarm:Webhooks:MaxRetryDelay"] = "00:00:00.500",
            ["RenderFarm:Webhooks:PollInterval"] = "00:00:00.100",
            ["RenderFarm:Webhooks:ClaimTimeout"] = "00:00:05",
            ["RenderFarm:Webhooks:Timeout"] = "00:00:02",
            ["RenderFarm:Webhooks:MaxAttempts"] = "1000",
            ["RenderFarm:Tenants:Defaults:WebhookUrl"] = Receiver.Url("default"),
        });
    }

    public async Task DisposeAsync()
    {
        await Farm.DisposeAsync();
        await Receiver.DisposeAsync();
        await Server.DisposeAsync();
    }
}

public sealed class WebhookTests(WebhookFarmFixture fixture) : IClassFixture<WebhookFarmFixture>
{
    private TestFarm Farm => fixture.Farm;
    private WebhookReceiver Receiver => fixture.Receiver;

    [Fact]
    public async Task Succeeded_DeliversSignedEvent_WithFreshResultUrl_AfterRetryingA503()
    {
        Receiver.Script("flaky", 503);
        var id = await CreateAsync(Color("#2255AA", 1), webhook: Receiver.Url("flaky"));

        var delivered = await DeliveredAsync("flaky", id);
        var attempts = For("flaky", id);
        Assert.Equal([503, 200], attempts.Select(a => a.Status));
        Assert.Equal(attempts[0].Headers["RenderFarm-Delivery"], attempts[1].Headers["RenderFarm-Delivery"]);
        Assert.Equal("2", attempts[1].Headers["RenderFarm-Attempt"]);
        Assert.True(Verify(delivered, WebhookFarmFixture.Secret), "the signature verifies as README describes");
        Assert.False(Verify(delivered, "some-other-secret-0123456789abcdef"), "another secret does not verify");

        var body = JsonNode.Parse(delivered.Body)!;
        Assert.Equal("production.succeeded", body["type"]!.GetValue<string>());
        Assert.Equal(delivered.Headers["RenderFarm-Delivery"], body["id"]!.GetValue<string>());
        Assert.True(DateTimeOffset.TryParse(body["createTime"]!.GetValue<string>(), CultureInfo.InvariantCulture, out _));
        var production = body["data"]!["production"]!;
        Assert.Equal(id, production["id"]!.GetValue<string>());
        Assert.Equal("SUCCEEDED", production["state"]!.GetValue<string>());
        using var download = await Farm.Http.GetAsync(production["result"]!["url"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("video/mp4", download.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Cancelled_GoesToTheTenantDefaultUrl()
    {
        var id = await CreateAsync(Color("#AA2255", 30));
        var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, $"/v1/productions/{id}:cancel");
        Assert.True(status == HttpStatusCode.OK, $"cancel answered {status}: {body}");

        var delivered = await DeliveredAsync("default", id);
        var json = JsonNode.Parse(delivered.Body)!;
        Assert.Equal("production.cancelled", json["type"]!.GetValue<string>());
        Assert.Equal("CANCELLED", json["data"]!["production"]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Failed_SaysWhy()
    {
        // An asset that was never uploaded fails the production at dispatch.
        var (status, asset) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/assets", Rest.Json(new { contentType = "image/png", sizeBytes = 100 }));
        Assert.Equal(HttpStatusCode.OK, status);
        var canvas = new { width = 160, height = 120, segments = new object[] { new { image = new { src = $"asset://{asset!["id"]!.GetValue<string>()}" }, duration = 1 } } };
        var id = await CreateAsync(canvas, webhook: Receiver.Url("failed"));

        var json = JsonNode.Parse((await DeliveredAsync("failed", id)).Body)!;
        Assert.Equal("production.failed", json["type"]!.GetValue<string>());
        Assert.Equal("ASSET_NOT_UPLOADED", json["data"]!["production"]!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task ClientError_IsGivenUp_WithoutRetrying()
    {
        Receiver.Script("gone", 400, 400, 400);
        var id = await CreateAsync(Color("#22AA55", 1), webhook: Receiver.Url("gone"));

        await Wait.UntilAsync(() => Task.FromResult(For("gone", id).Count > 0), TimeSpan.FromSeconds(60), "the first attempt");
        await Wait.UntilAsync(async () => !await PendingAsync(id), TimeSpan.FromSeconds(10), "the delivery to leave the outbox");
        Assert.Single(For("gone", id));
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://[::1]:9/hook")]
    public async Task InternalWebhookUrl_IsRefusedAtCreate(string url)
    {
        var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/productions",
            Rest.Json(new { canvas = Color("#000000", 1), webhookUrl = url }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var info = body!["details"]!.AsArray().First(d => d!["reason"] is not null)!;
        Assert.Equal("WEBHOOK_URL_REFUSED", info["reason"]!.GetValue<string>());
        Assert.Equal("webhookUrl", info["metadata"]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delivery_SurvivesACoordinatorRestart()
    {
        Receiver.Script("later", Enumerable.Repeat(503, 200).ToArray());
        var id = await CreateAsync(Color("#5522AA", 1), webhook: Receiver.Url("later"));
        await Wait.UntilAsync(() => Task.FromResult(For("later", id).Count > 0), TimeSpan.FromSeconds(60), "a failed attempt");

        await Farm.Host.RestartCoordinatorAsync();
        Receiver.Script("later");
        var delivered = await DeliveredAsync("later", id);
        Assert.Equal("production.succeeded", JsonNode.Parse(delivered.Body)!["type"]!.GetValue<string>());
    }

    /// <summary>The verification README documents: HMAC-SHA256 over "{t}.{raw body}", hex, compared in constant time; t recent.</summary>
    private static bool Verify(WebhookReceiver.Received request, string secret)
    {
        var parts = request.Headers["RenderFarm-Signature"].Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var t = long.Parse(parts["t"], CultureInfo.InvariantCulture);
        byte[] signed = [.. Encoding.UTF8.GetBytes($"{t}."), .. request.Body];
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - t) <= 300
            && CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(parts["v1"]));
    }

    private static object Color(string color, double seconds) =>
        new { width = 160, height = 120, segments = new object[] { new { color = new { color }, duration = seconds } } };

    private async Task<string> CreateAsync(object canvas, string? webhook = null)
    {
        var json = webhook is null
            ? Rest.Json(new { canvas, output = new { quality = "DRAFT" } })
            : Rest.Json(new { canvas, output = new { quality = "DRAFT" }, webhookUrl = webhook });
        return (await Rest.CreateAsync(Farm.Http, json))["id"]!.GetValue<string>();
    }

    private List<WebhookReceiver.Received> For(string path, string id) =>
        [.. Receiver.On(path).Where(r => JsonNode.Parse(r.Body)!["data"]!["production"]!["id"]!.GetValue<string>() == id)];

    private async Task<WebhookReceiver.Received> DeliveredAsync(string path, string id)
    {
        await Wait.UntilAsync(() => Task.FromResult(For(path, id).Any(r => r.Status == 200)), TimeSpan.FromSeconds(90), $"a delivered webhook of {id} at /{path}");
        return For(path, id).Single(r => r.Status == 200);
    }

    private async Task<bool> PendingAsync(string id)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Server.Configuration);
        var members = await redis.GetDatabase().SortedSetRangeByRankAsync($"{Farm.KeyPrefix}webhooks");
        return members.Any(m => ((string)m!).Contains(id, StringComparison.Ordinal));
    }
}
