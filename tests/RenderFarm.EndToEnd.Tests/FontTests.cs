using System.Net;
using System.Text.Json.Nodes;
using RenderFarm.Testing;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>canvas.fonts end to end: a font uploaded as an asset, a file that is no font, and a family a node lacks.</summary>
public sealed class FontTests(GarnetFarmFixture fixture) : IClassFixture<GarnetFarmFixture>
{
    private const string Serif = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";

    private TestFarm Farm => fixture.Farm;

    private static object Canvas(object[] fonts, string? family) => new
    {
        width = 320,
        height = 240,
        fonts,
        segments = new object[]
        {
            new { color = new { color = "#000000" }, duration = 1 },
            new { text = new { text = "Sphinx quartz", fontSize = 36, fontFamily = family ?? "" } },
        },
    };

    private static async Task<JsonNode> RenderAsync(TestFarm farm, object canvas)
    {
        var id = (await Rest.CreateAsync(farm.Http, Rest.Json(new { canvas, output = new { quality = "DRAFT" } })))["id"]!.GetValue<string>();
        var events = await Rest.ReadEventsAsync(farm.Http, id, timeout: TimeSpan.FromMinutes(2));
        return events[^1].Data["production"]!;
    }

    private async Task<string> FontAssetAsync(byte[] bytes)
    {
        var asset = await Assets.CreateAsync(Farm.Http, "font/ttf", bytes.Length);
        using var put = await Assets.PutAsync(Farm.Http, asset, bytes, "font/ttf");
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        return $"asset://{asset["id"]!.GetValue<string>()}";
    }

    private async Task<byte[]> FrameAsync(JsonNode production)
    {
        Assert.Equal("SUCCEEDED", production["state"]!.GetValue<string>());
        var file = Path.Combine(Farm.DataDirectory, $"font-{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(file, await Farm.Http.GetByteArrayAsync(production["result"]!["url"]!.GetValue<string>()));
        return (await Frame.AtAsync(file, 0.5, 320, 240)).Rgb;
    }

    [Fact]
    public async Task FontUploadedAsAnAsset_DrawsTheText_InItsGlyphs()
    {
        var src = await FontAssetAsync(await File.ReadAllBytesAsync(Serif));

        var branded = await FrameAsync(await RenderAsync(Farm, Canvas([new { family = "Brand Serif", src }], "brand serif")));
        var plain = await FrameAsync(await RenderAsync(Farm, Canvas([], null)));

        Assert.True(branded.Count(v => v > 128) > 300, "no text drawn");
        Assert.True(branded.Zip(plain).Count(p => Math.Abs(p.First - p.Second) > 64) > 300, "the uploaded font drew the default font's glyphs");
    }

    [Fact]
    public async Task AFileThatIsNoFont_FailsTheProduction_WithFontInvalid_NamingItsSource()
    {
        var png = await Assets.PngAsync(Farm, "#D04010");
        var fonts = new object[] { new { family = "Good", src = await FontAssetAsync(await File.ReadAllBytesAsync(Serif)) }, new { family = "Bad", src = await FontAssetAsync(png) } };

        var failed = await RenderAsync(Farm, Canvas(fonts, "Good"));

        Assert.Equal("FAILED", failed["state"]!.GetValue<string>());
        Assert.Equal("FONT_INVALID", failed["error"]!["code"]!.GetValue<string>());
        Assert.StartsWith("canvas.fonts[1].src: ", failed["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, failed["attempts"]!.GetValue<int>());
    }

    [Fact]
    public async Task UnknownFontAsset_IsRefusedAtCreate_NamingTheFontsField()
    {
        var json = Rest.Json(new { canvas = Canvas([new { family = "Brand", src = "asset://0123456789abcdef0123456789abcdef" }], "Brand") });
        var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/productions", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var info = body!["details"]!.AsArray().First(d => d!["reason"] is not null)!;
        Assert.Equal(("ASSET_NOT_FOUND", "canvas.fonts[0].src"), (info["reason"]!.GetValue<string>(), info["metadata"]!["field"]!.GetValue<string>()));
    }

    [Fact]
    public async Task FamilyNoNodeHas_IsRetried_ThenFailsWithFontNotFound()
    {
        var failed = await RenderAsync(Farm, Canvas([], "No Such Family"));

        Assert.Equal("FAILED", failed["state"]!.GetValue<string>());
        Assert.Equal("FONT_NOT_FOUND", failed["error"]!["code"]!.GetValue<string>());
        Assert.Contains("canvas.segments[1].text.fontFamily", failed["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(3, failed["attempts"]!.GetValue<int>());
    }

    [Fact]
    public async Task FamilyMissingOnOneNode_IsRenderedByAnotherNodeThatHasIt()
    {
        // The retry waits long enough for the second node to connect; then dispatch passes over the node that failed.
        await using var farm = await TestFarm.StartAsync(fixture.Server, nodes: 0,
            extra: new Dictionary<string, string?> { ["RenderFarm:Scheduler:RetryBackoffBase"] = "00:00:08", ["RenderFarm:Scheduler:RetryBackoffMax"] = "00:00:08" });
        // fc-match that finds nothing: a node without the family installed.
        await farm.Host.StartNodeAsync("fontless", new Dictionary<string, string?> { ["RenderFarm:Render:FcMatchPath"] = "false" });
        var id = (await Rest.CreateAsync(farm.Http, Rest.Json(new { canvas = Canvas([], "DejaVu Serif"), output = new { quality = "DRAFT" } })))["id"]!.GetValue<string>();
        await Wait.UntilAsync(async () => (await Rest.GetAsync(farm.Http, id))["stage"]?.GetValue<string>().Contains("FONT_NOT_FOUND", StringComparison.Ordinal) == true,
            TimeSpan.FromMinutes(1), "the first attempt to fail on the node without the font");

        await farm.Host.StartNodeAsync("fontful");
        var done = (await Rest.ReadEventsAsync(farm.Http, id, timeout: TimeSpan.FromMinutes(2)))[^1].Data["production"]!;

        Assert.Equal("SUCCEEDED", done["state"]!.GetValue<string>());
        Assert.Equal(("fontful", 2), (done["nodeId"]!.GetValue<string>(), done["attempts"]!.GetValue<int>()));
    }
}
