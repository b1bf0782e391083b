using System.Diagnostics;
using System.Globalization;

namespace RenderFarm.Node.Tests.Rendering;

/// <summary>Every render has exactly duration × fps frames, whatever joins and sources it has.</summary>
public sealed class FrameAccuracyTests(TestMedia media) : IClassFixture<TestMedia>
{
    [Theory]
    [InlineData(24, "{'color': {'color': '#0000FF'}, 'duration': 2}", 48)]
    [InlineData(30, "{'color': {'color': '#0000FF'}, 'duration': 2}, {'color': {'color': '#FF0000'}, 'duration': 2, 'transition': {'kind': 'WIPE_LEFT', 'duration': 1}}", 90)]
    [InlineData(30, "{'color': {'color': '#0000FF'}, 'duration': 1}, {'video': {'src': 'https://media.test/clip.mp4', 'trimStart': 0.5}, 'duration': 1.5}, {'image': {'src': 'https://media.test/red.png'}, 'duration': 1}", 105)]
    [InlineData(60, "{'video': {'src': 'https://media.test/clip.mp4'}, 'duration': 1}, {'audio': {'src': 'https://media.test/tone.wav'}}", 60)]
    // Found by the contract fuzzer: three one-frame pieces in a row lost a frame at the joins.
    [InlineData(30, "{'video': {'src': 'https://media.test/clip.mp4'}, 'duration': 0.0333333333}, {'video': {'src': 'https://media.test/silent.mp4'}, 'duration': 0.0333333333}, {'image': {'src': 'https://media.test/red.png'}, 'duration': 0.0333333333}, {'color': {'color': '#0000FF'}, 'duration': 0.5}", 18)]
    // Found by the contract fuzzer: a clip trimmed past its end gave no frames, and its 0.5 s went missing.
    [InlineData(30, "{'video': {'src': 'https://media.test/silent.mp4', 'trimStart': 5}, 'duration': 0.5}, {'color': {'color': '#0000FF'}, 'duration': 0.5}", 30)]
    public async Task FrameCount_IsDurationTimesFps(int fps, string segments, int frames)
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync($"{{'width': 160, 'height': 120, 'fps': {fps}, 'segments': [{segments}]}}");

        Assert.Equal(frames, await CountFramesAsync(result.OutputPath));
    }

    // Found by the contract fuzzer: a smart zoom hands its last frame and its end to xfade at once,
    // and ffmpeg 5.1's xfade then dropped that frame and stamped the rest a frame late; the MP4's
    // frame rate filled the gap, one frame more than the timeline. Transitions not a whole number
    // of frames long, and one as long as the segment it brings in.
    [Theory]
    [InlineData("'kenBurns': {'from': {'width': 1, 'height': 1}, 'to': {'x': 0.2, 'y': 0.1, 'width': 0.5, 'height': 0.5}, 'easing': 'EASE_IN_OUT'}", 0.3, 60)]
    [InlineData("'kenBurns': {'from': {'width': 1, 'height': 1}, 'to': {'x': 0.2, 'y': 0.1, 'width': 0.5, 'height': 0.5}}", 0.8645, 47)]
    [InlineData("'zoom': 'IN'", 0.5, 55)]
    [InlineData("'zoom': 'OUT'", 1.01, 43)]
    [InlineData("'zoom': 'OUT'", 1.29, 36)]
    public async Task Transition_FromASmartZoom_KeepsTheTimelinesFrameCount(string zoom, double transition, int frames)
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync($$$"""
            {'width': 160, 'height': 120, 'fps': 24, 'segments': [
              {'image': {'src': 'https://media.test/red.png', {{{zoom}}}}, 'duration': 1.5},
              {'color': {'color': '#0000FF'}, 'duration': 1.29, 'transition': {'kind': 'SLIDE_UP', 'duration': {{{transition.ToString(CultureInfo.InvariantCulture)}}}}}]}
            """);

        Assert.Equal(frames, await CountFramesAsync(result.OutputPath));
    }

    private static async Task<int> CountFramesAsync(string path)
    {
        var start = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true };
        foreach (var a in (string[])["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path])
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return int.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }
}
