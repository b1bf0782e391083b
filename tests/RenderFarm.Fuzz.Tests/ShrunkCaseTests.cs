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

    // Fuzz case 9829230553596608796 (RENDERFARM_FUZZ_CASE replays it): an MP4 of this canvas had 32
    // frames where its timeline holds 31 (1.2917 s at 24 fps); the GIF of the same canvas had 31.
    // The zoomed image handed its last frame and its end to xfade at once, and ffmpeg 5.1's xfade
    // dropped that frame and stamped the rest a frame late; the MP4's frame rate filled the gap.
    [Fact]
    public async Task TransitionAndLayer_Mp4_HasTheTimelinesFrames()
    {
        var canvas = JsonParser.Default.Parse<Canvas>("""
            { "width": 128, "height": 72, "fps": 24, "backgroundColor": "#2EA1E9", "segments": [
              { "image": { "src": "https://media.fuzz/logo.png", "fit": "CONTAIN", "zoom": "OUT" }, "start": 0, "duration": 1,
                "filters": { "contrast": 0.24193548387096775 } },
              { "color": { "color": "#4904AF" }, "start": 0, "duration": 1.2916666666666667, "transition": { "kind": "SLIDE_UP", "duration": 0.8645100441300644 },
                "filters": { "contrast": 3.492994643248414, "grayscale": true } },
              { "shape": { "x": -0.5918367346938775, "y": 0.034482758620689655, "width": 1.876429712280423, "height": 1, "color": "#23199D" }, "duration": 1.0833333333333333,
                "layer": { "width": 0.7777777777777778, "height": 0.7319547854240825, "zIndex": -3, "fit": "FILL",
                  "keyframes": [ { "x": -0.49873779319045697, "opacity": 0.7741655017978784, "rotation": -1, "easing": "EASE_OUT" },
                                 { "time": 0.09848484848484848, "x": 0, "y": 1, "width": 1.0451475958566079, "opacity": 0, "rotation": 50.95454545454545, "easing": "EASE_IN" } ] } } ] }
            """);
        using var node = new FuzzNode(media);
        var rendered = await node.RenderAsync(canvas, new OutputSpec { Format = OutputSpec.Types.Format.Mp4 }, node.NewFolder());

        var (frames, _) = FuzzNode.Probe(rendered.OutputPath);
        Assert.Equal(31, frames);
    }
}
