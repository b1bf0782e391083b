using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using RenderFarm.State;
using RenderFarm.Testing;
using StackExchange.Redis;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>Assets on the filesystem store: create, upload through the presigned URL, render from asset://.</summary>
public sealed class AssetTests(GarnetFarmFixture fixture) : IClassFixture<GarnetFarmFixture>
{
    private TestFarm Farm => fixture.Farm;

    [Fact]
    public async Task UploadedAsset_RendersWithItsPixels_AndCountsAsStoredBytes()
    {
        var png = await Assets.PngAsync(Farm, "#D04010");
        var before = await StoredBytesAsync("default");
        var asset = await Assets.CreateAsync(Farm.Http, "image/png", png.Length);
        Assert.Equal($"assets/{asset["id"]!.GetValue<string>()}", asset["name"]!.GetValue<string>());
        Assert.True(long.Parse(asset["maxBytes"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) >= png.Length);
        Assert.Equal(before + png.Length, await StoredBytesAsync("default"));
        using var put = await Assets.PutAsync(Farm.Http, asset, png, "image/png");
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);

        var production = await Assets.RenderAsync(Farm.Http, asset["id"]!.GetValue<string>());
        Assert.Equal("SUCCEEDED", production["state"]!.GetValue<string>());
        var file = Path.Combine(Farm.DataDirectory, $"asset-{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(file, await Farm.Http.GetByteArrayAsync(production["result"]!["url"]!.GetValue<string>()));
        var frame = await Frame.AtAsync(file, 0.5, 160, 120);
        Assert.True(frame.Near(80, 60, "#D04010"), $"asset pixel was {frame.Pixel(80, 60)}");
    }

    [Fact]
    public async Task UploadBeyondDeclaredSize_Is413_AndWrongType_Is415()
    {
        var asset = await Assets.CreateAsync(Farm.Http, "image/png", 100);
        using var tooLarge = await Assets.PutAsync(Farm.Http, asset, new byte[101], "image/png");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Contains("ASSET_TOO_LARGE", await tooLarge.Content.ReadAsStringAsync());
        using var wrongType = await Assets.PutAsync(Farm.Http, asset, new byte[50], "image/jpeg");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        Assert.Contains("CONTENT_TYPE_MISMATCH", await wrongType.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("image/png", 1L << 40, "sizeBytes", "ASSET_TOO_LARGE")]
    [InlineData("image/png", 0L, "sizeBytes", "OUT_OF_RANGE")]
    [InlineData("text/html", 10L, "contentType", "UNSUPPORTED_ASSET_TYPE")]
    public async Task CreateAsset_RefusesBadDeclarations(string contentType, long size, string field, string reason)
    {
        var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/assets", Rest.Json(new { contentType, sizeBytes = size }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var info = body!["details"]!.AsArray().First(d => d!["reason"] is not null)!;
        Assert.Equal(reason, info["reason"]!.GetValue<string>());
        Assert.Equal(field, info["metadata"]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnotherTenantsAsset_ReadsAsNotFound_NamingTheField()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Server.Configuration);
        var store = new AssetStore(redis, Options.Create(new StateOptions { KeyPrefix = Farm.KeyPrefix }), TimeProvider.System);
        var theirs = await store.CreateAsync("other-tenant", "image/png", 10);

        foreach (var id in new[] { theirs.Id, "0123456789abcdef0123456789abcdef" })
        {
            var json = Rest.Json(new { canvas = Assets.Canvas(id) });
            var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/productions", json);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            var info = body!["details"]!.AsArray().First(d => d!["reason"] is not null)!;
            Assert.Equal("ASSET_NOT_FOUND", info["reason"]!.GetValue<string>());
            Assert.Equal("canvas.segments[0].image.src", info["metadata"]!["field"]!.GetValue<string>());
            Assert.DoesNotContain("other-tenant", body.ToJsonString(), StringComparison.Ordinal);
        }
    }

    private async Task<long> StoredBytesAsync(string tenant)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Server.Configuration);
        return (long?)await redis.GetDatabase().StringGetAsync($"{Farm.KeyPrefix}tenant:{tenant}:stored_bytes") ?? 0;
    }
}

/// <summary>Asset steps as a REST client takes them.</summary>
internal static class Assets
{
    public static async Task<byte[]> PngAsync(TestFarm farm, string color)
    {
        var url = await farm.Media.ImageAsync($"asset-{Guid.NewGuid():N}.png", color, 160, 120);
        return await File.ReadAllBytesAsync(Path.Combine(farm.Media.Root, new Uri(url).Segments[^1]));
    }

    public static async Task<JsonNode> CreateAsync(HttpClient http, string contentType, long size)
    {
        var (status, body) = await Rest.SendAsync(http, HttpMethod.Post, "/v1/assets", Rest.Json(new { contentType, sizeBytes = size, displayName = "logo" }));
        Assert.True(status == HttpStatusCode.OK, $"CreateAsset answered {status}: {body}");
        return body!;
    }

    public static async Task<HttpResponseMessage> PutAsync(HttpClient http, JsonNode asset, byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue(contentType) } };
        return await http.PutAsync(asset["uploadUrl"]!.GetValue<string>(), content);
    }

    public static object Canvas(string assetId) =>
        new { width = 160, height = 120, segments = new object[] { new { image = new { src = $"asset://{assetId}" }, duration = 1 } } };

    /// <summary>Renders a one-second canvas showing the asset; returns the production once final.</summary>
    public static async Task<JsonNode> RenderAsync(HttpClient http, string assetId)
    {
        var id = (await Rest.CreateAsync(http, Rest.Json(new { canvas = Canvas(assetId), output = new { quality = "DRAFT" } })))["id"]!.GetValue<string>();
        await Rest.ReadEventsAsync(http, id);
        return await Rest.GetAsync(http, id);
    }
}
