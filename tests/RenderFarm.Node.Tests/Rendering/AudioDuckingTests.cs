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

        var sound = Sound.Of(result.OutputPath);
        var before = sound.Rms(0.5, 1.2);
        var during = sound.Rms(1.7, 2.0);
        Assert.True(during < before * 0.5, $"rms before {before:0}, during speech {during:0}");
    }

    [Fact]
    public async Task DuckedMusic_FallsOverTheAttack_AndRisesOverTheRelease()
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 4},
              {'audio': {'src': 'https://media.test/tone.wav', 'duck': true, 'duckAttack': 0.5, 'duckRelease': 1}},
              {'speech': {'text': 'one two', 'volume': 0}, 'start': 1.5, 'duration': 1}]}
            """);

        var sound = Sound.Of(result.OutputPath);
        var full = sound.Rms(0.5, 1.4);
        double Level(double at) => sound.Rms(at - 0.05, at + 0.05) / full;
        // Gain 1 → 0.3 over 1.5..2.0 s, held to 2.5 s, back to 1 over 2.5..3.5 s.
        Assert.InRange(Level(1.65), 0.70, 0.95);
        Assert.InRange(Level(1.8), 0.45, 0.70);
        Assert.InRange(Level(2.25), 0.22, 0.38);
        Assert.InRange(Level(2.75), 0.38, 0.58);
        Assert.InRange(Level(3.1), 0.60, 0.80);
        Assert.InRange(Level(3.75), 0.92, 1.08);
    }
}
