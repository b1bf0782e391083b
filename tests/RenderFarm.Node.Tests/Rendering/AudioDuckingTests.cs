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
}
