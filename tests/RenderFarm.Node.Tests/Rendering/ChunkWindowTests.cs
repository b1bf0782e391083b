using System.Diagnostics;
using System.Globalization;
using RenderFarm.Contracts.V1;
using static RenderFarm.Node.Tests.Rendering.RenderHarness;

namespace RenderFarm.Node.Tests.Rendering;

/// <summary>
/// A chunk renders only its window of frames: it starts at the first piece of the base track the
/// window needs (a clip seeked into, a smart zoom at the piece of its motion that holds the window's
/// start) and leaves out everything shown only outside it, yet each of its frames is the frame a
/// whole render shows there.
/// </summary>
public sealed class ChunkWindowTests : IClassFixture<TestMedia>
{
    // 5.6 s at 25 fps = 140 frames: a clip whose every frame is another grey (frames 0-49) fading over frames 40-49 into a smart
    // zoom over a test pattern (40-114), then blue (115-139); a keyframed layer moving across it all,
    // a moving clip in a moving layer (frames 15-54) and a typewriter text from 1 s to 4 s.
    private const string Canvas = """
        {'width': 160, 'height': 120, 'fps': 25, 'segments': [
          {'video': {'src': 'https://media.test/steps.mp4', 'trimStart': 0.4, 'muted': true}, 'duration': 2},
          {'image': {'src': 'https://media.test/pattern.png', 'kenBurns': {'from': {'width': 1, 'height': 1}, 'to': {'x': 0.3, 'y': 0.2, 'width': 0.3, 'height': 0.3}}},
           'duration': 3, 'transition': {'kind': 'FADE', 'duration': 0.4}},
          {'color': {'color': '#0000FF'}, 'duration': 1},
          {'color': {'color': '#00FF00'}, 'start': 0, 'duration': 5.6,
           'layer': {'x': 0, 'y': 0.6, 'width': 0.2, 'height': 0.2, 'keyframes': [{'time': 0, 'x': 0}, {'time': 5.6, 'x': 0.8}]}},
          {'video': {'src': 'https://media.test/silent.mp4', 'muted': true}, 'start': 0.6, 'duration': 1.6,
           'layer': {'x': 0.6, 'y': 0.05, 'width': 0.35, 'height': 0.35, 'keyframes': [{'time': 0, 'x': 0.6}, {'time': 1.6, 'x': 0.3}]}},
          {'text': {'text': 'Windows', 'fontSize': 20, 'animation': 'TYPEWRITER', 'animationDuration': 2}, 'start': 1, 'duration': 3}]}
        """;

    // Near-transparent encodes, so that two encodes of the same frame compare well above frames one apart.
    private const string Output = "{'quality': 'HIGH'}";

    private readonly TestMedia _media;

    public ChunkWindowTests(TestMedia media)
    {
        _media = media;
        if (!File.Exists(media.PathOf("pattern.png")))
        {
            media.Make("pattern.png", "-f lavfi -i testsrc=size=400x300 -frames:v 1");
            // Every frame a different grey: a clip a frame off shows a different picture everywhere.
            media.Make("steps.mp4", "-f lavfi -i \"color=c=gray:s=160x120:r=25:d=3,geq=lum='mod(N*37,256)':cb=128:cr=128\" -c:v libx264 -preset ultrafast -qp 0 -pix_fmt yuv420p");
        }
    }

    [Fact]
    public async Task EveryWindow_ShowsTheFramesOfTheWholeRender_CutInsideAClipATransitionAndASmartZoom()
    {
        using var h = new RenderHarness(_media);
        var whole = await h.RenderAsync(Canvas, Output);
        Assert.Equal(140, Ffprobe.CountFrames(whole.OutputPath));
        // Cuts inside the clip (30), inside the fade (45), early (62) and late (100) in the smart zoom.
        long[] cuts = [0, 30, 45, 62, 100, 140];
        for (var i = 0; i + 1 < cuts.Length; i++)
        {
            var chunk = await h.RenderChunkAsync(Canvas, Output, cuts[i], cuts[i + 1]);
            Assert.Equal(cuts[i + 1] - cuts[i], Ffprobe.CountFrames(chunk.OutputPath));
            Assert.Null(chunk.Facts.AudioCodec);
            // Each frame is the whole render's frame there: close to it, and no farther from it than
            // from the frames either side (where the picture moves, those are clearly farther).
            var same = PsnrPerFrame(whole.OutputPath, cuts[i], chunk.OutputPath);
            var next = PsnrPerFrame(whole.OutputPath, cuts[i] + 1, chunk.OutputPath);
            var before = cuts[i] > 0 ? PsnrPerFrame(whole.OutputPath, cuts[i] - 1, chunk.OutputPath) : [];
            string Shown() => $"window [{cuts[i]}, {cuts[i + 1]}) against the whole render, PSNR per frame: same {Db(same)}; next {Db(next)}; before {Db(before)}";
            Assert.True(same.Min() >= 35, Shown());
            for (var k = 0; k < same.Count; k++)
            {
                var nearest = Math.Max(k < next.Count ? next[k] : 0, k < before.Count ? before[k] : 0);
                Assert.True(same[k] >= nearest - 0.5, $"frame {cuts[i] + k}: {Shown()}");
            }
        }
        // The content moves from frame to frame, so a window a frame off would have failed above.
        var shifted = PsnrPerFrame(whole.OutputPath, 31, (await h.RenderChunkAsync(Canvas, Output, 30, 45)).OutputPath);
        Assert.True(shifted.Min() < 30, $"frames one apart look alike (PSNR {shifted.Min():F1}): the check above proves nothing");
    }

    [Fact]
    public async Task AWindow_LeavesOutTheMediaItDoesNotShow_AndSeeksTheClipItStartsIn()
    {
        using var h = new RenderHarness(_media);
        var late = await h.CommandLineAsync(Canvas, "{}", Path.Combine(h.WorkDirectory, "late"), chunk: new ChunkFrames { StartFrame = 62, EndFrame = 100 });
        Assert.DoesNotContain("steps.mp4", late, StringComparison.Ordinal);
        Assert.Contains("pattern.png", late, StringComparison.Ordinal);
        // The clips are seeked to the window's first frame, which ends before the fade to the pattern:
        // the base track's by trimStart 0.4 s + 30 frames at 25 fps, the layer's by 15 frames.
        var inClip = await h.CommandLineAsync(Canvas, "{}", Path.Combine(h.WorkDirectory, "clip"), chunk: new ChunkFrames { StartFrame = 30, EndFrame = 40 });
        Assert.Contains("-ss 1.6 ", inClip, StringComparison.Ordinal);
        Assert.Contains("-ss 0.6 ", inClip, StringComparison.Ordinal);
        Assert.DoesNotContain("pattern.png", inClip, StringComparison.Ordinal);
    }

    private static string Db(List<double> values) => string.Join(' ', values.Select(p => p.ToString("F1", CultureInfo.InvariantCulture)));

    // PSNR (dB, 100 when identical) of each frame of b against frame first + k of a.
    private static List<double> PsnrPerFrame(string a, long first, string b)
    {
        var stats = Path.ChangeExtension(b, $".{first}.psnr.txt");
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var arg in (string[])["-v", "error", "-i", a, "-i", b, "-lavfi",
                     $"[0:v]trim=start_frame={first},setpts=PTS-STARTPTS[a];[1:v]setpts=PTS-STARTPTS[b];[a][b]psnr=stats_file={stats}:shortest=1", "-f", "null", "-"])
        {
            start.ArgumentList.Add(arg);
        }
        using var p = Process.Start(start)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, err);
        return [.. File.ReadAllLines(stats).Select(line =>
        {
            var value = line.Split(' ').First(v => v.StartsWith("psnr_avg:", StringComparison.Ordinal))["psnr_avg:".Length..];
            return value == "inf" ? 100 : double.Parse(value, CultureInfo.InvariantCulture);
        })];
    }
}
