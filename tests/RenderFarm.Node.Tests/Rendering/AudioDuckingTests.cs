using System.Diagnostics;

namespace RenderFarm.Node.Tests.Rendering;

public sealed class AudioDuckingTests(TestMedia media) : IClassFixture<TestMedia>
{
    [Fact]
    public async Task DuckedMusic_IsQuieterWhileSpeechPlays()
    {
        using var h = new RenderHarness(media);
        // Silent speech: whatever changes in loudness is the ducking alone.
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 3},
              {'audio': {'src': 'https://media.test/tone.wav', 'duck': true}},
              {'speech': {'text': 'one two three', 'volume': 0}, 'start': 1.5}]}
            """);

        var samples = Mono8k(result.OutputPath);
        var before = Rms(samples, 0.5, 1.2);
        var during = Rms(samples, 1.7, 2.0);
        Assert.True(during < before * 0.5, $"rms before {before:0}, during speech {during:0}");
    }

    private static short[] Mono8k(string path)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-v", "error", "-i", path, "-vn", "-ac", "1", "-ar", "8000", "-f", "s16le", "-"])
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        using var ms = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(ms);
        p.WaitForExit();
        var bytes = ms.ToArray();
        var samples = new short[bytes.Length / 2];
        Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 2);
        return samples;
    }

    private static double Rms(short[] samples, double from, double to) =>
        Math.Sqrt(samples[(int)(from * 8000)..(int)(to * 8000)].Average(s => (double)s * s));
}
