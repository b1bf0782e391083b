using Google.Protobuf;
using RenderFarm.Contracts.V1;

namespace RenderFarm.Fuzz.Tests;

/// <summary>Shrunk cases the contract fuzzer found, kept as regular tests on the fuzzer's own media.</summary>
public sealed class ShrunkCaseTests(FuzzMedia media) : IClassFixture<FuzzMedia>
{
    // A smart zoom on a 32x32 picture into 96x64: a piece's scaled part was padded to an odd
    // height, which pad (negotiated to 4:2:0) rounded below its input, and FFmpeg refused the graph.
    [Theory]
    [InlineData("MP4")]
    [InlineData("WEBM")]
    public async Task SmartZoom_OnASmallPicture_PaddedToAnOddSide_Renders(string format)
    {
        var canvas = JsonParser.Default.Parse<Canvas>("""
            { "width": 96, "height": 64, "fps": 24, "backgroundColor": "#755711", "segments": [ { "image": { "src": "https://media.fuzz/logo.png",
              "fit": "CONTAIN_BLUR", "kenBurns": { "from": { "x": 0.0001116, "width": 0.9998884, "height": 1 }, "to": { "width": 0.26710834366497416, "height": 1 },
              "easing": "LINEAR" } }, "duration": 1.0833333333333333 } ] }
            """);
        var output = JsonParser.Default.Parse<OutputSpec>($$"""{ "format": "{{format}}", "poster": true }""");
        using var node = new FuzzNode(media);
        var rendered = await node.RenderAsync(canvas, output, node.NewFolder());

        var (frames, _) = FuzzNode.Probe(rendered.OutputPath);
        Assert.Equal(26, frames);
    }
}
