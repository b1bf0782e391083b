namespace RenderFarm.Node.Tests.Rendering;

/// <summary>Real renders, listened to: where there is sound, how loud, and whether it meets the picture.</summary>
public sealed class SoundFidelityTests(FidelityMedia fixture) : IClassFixture<FidelityMedia>
{
    private const double Frame25 = 1.0 / 25;

    // lavfi's sine is 1/8 of full scale: about 2900 RMS.
    private const double Silent = 50;
    private const double Audible = 1000;

    [Fact]
    public async Task AudioTracks_PlayFromTheirStart_ForTheirDuration_AtTheirVolume()
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 4},
              {'audio': {'src': 'https://media.test/tone.wav'}, 'start': 0.5, 'duration': 1},
              {'audio': {'src': 'https://media.test/tone.wav', 'volume': 0.25}, 'start': 2.5, 'duration': 1}]}
            """);

        var sound = Sound.Of(result.OutputPath);
        var full = sound.Rms(0.6, 1.4);
        Assert.True(full > Audible, $"first track {full:0}");
        Assert.True(sound.Rms(0, 0.45) < Silent, "silence before the first start");
        Assert.True(sound.Rms(1.55, 2.45) < Silent, "silence between the tracks");
        Assert.True(sound.Rms(3.55, 4) < Silent, "silence after the second track");
        Assert.InRange(sound.Rms(2.6, 3.4) / full, 0.2, 0.3);
    }

    [Fact]
    public async Task FadeInAndOut_RampTheLoudness()
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 3},
              {'audio': {'src': 'https://media.test/tone.wav', 'fadeIn': 1, 'fadeOut': 1}}]}
            """);

        var sound = Sound.Of(result.OutputPath);
        double[] rising = [sound.Rms(0, 0.1), sound.Rms(0.4, 0.5), sound.Rms(0.8, 0.9), sound.Rms(1.3, 1.7)];
        double[] falling = [sound.Rms(1.3, 1.7), sound.Rms(2.1, 2.2), sound.Rms(2.5, 2.6), sound.Rms(2.9, 3)];
        Assert.True(rising.Zip(rising.Skip(1)).All(p => p.First < p.Second), $"fade in: {string.Join(", ", rising.Select(r => r.ToString("0")))}");
        Assert.True(falling.Zip(falling.Skip(1)).All(p => p.First > p.Second), $"fade out: {string.Join(", ", falling.Select(r => r.ToString("0")))}");
    }

    [Fact]
    public async Task AudioTrimStart_SkipsTheSourceLead()
    {
        using var h = new RenderHarness(fixture.Media);
        // sync.mp4's sound is silent for 1 s, then beeps for 1 s.
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 2},
              {'audio': {'src': 'https://media.test/sync.mp4', 'trimStart': 1}}]}
            """);

        var sound = Sound.Of(result.OutputPath);
        Assert.True(sound.Rms(0.05, 0.9) > Audible);
        Assert.True(sound.Rms(1.1, 2) < Silent);
    }

    [Fact]
    public async Task LoopedBeep_SoundsUntilTheEnd()
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 3.5},
              {'audio': {'src': 'https://media.test/beep.wav', 'loop': true}}]}
            """);

        var sound = Sound.Of(result.OutputPath);
        Assert.InRange(sound.Seconds, 3.5 - Frame25, 3.5 + Frame25);
        Assert.True(sound.Tone(1000, 1.2, 1.8) > 300 && sound.Tone(1000, 2.7, 3.3) > 300,
            $"a 1 s beep looped over 3.5 s should still sound: {sound.Tone(1000, 2.7, 3.3):0}");
    }

    [Theory]
    [InlineData("lead.wav")]
    [InlineData("sync.mp4")]
    public async Task LoopedAudio_WithTrimStart_PlaysFromTrimStart_ThenRepeatsTheWholeSource(string source)
    {
        using var h = new RenderHarness(fixture.Media);
        // Both sources: 1 s of silence, then 1 s of beep. Trimmed to the beep, then looped whole.
        var result = await h.RenderAsync($$$"""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 3.5},
              {'audio': {'src': 'https://media.test/{{{source}}}', 'trimStart': 1, 'loop': true}}]}
            """);

        var sound = Sound.Of(result.OutputPath);
        Assert.InRange(sound.Seconds, 3.5 - Frame25, 3.5 + Frame25);
        double[] beeps = [sound.Rms(0.1, 0.9), sound.Rms(2.1, 2.9)];
        double[] silences = [sound.Rms(1.1, 1.9), sound.Rms(3.1, 3.5)];
        Assert.All(beeps, rms => Assert.InRange(rms, Audible, 4000));
        Assert.All(silences, rms => Assert.InRange(rms, 0, Silent));
    }

    [Fact]
    public async Task ClipSound_IsMixedWithMusic_BothAudible()
    {
        using var h = new RenderHarness(fixture.Media);
        // clip.mp4 sounds 440 Hz; beep.wav 1 kHz.
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'video': {'src': 'https://media.test/clip.mp4'}, 'duration': 1},
              {'audio': {'src': 'https://media.test/beep.wav', 'volume': 0.5}}]}
            """);

        var sound = Sound.Of(result.OutputPath);
        var clip = sound.Tone(440, 0.2, 0.8);
        var music = sound.Tone(1000, 0.2, 0.8);
        Assert.True(clip > 300, $"clip tone {clip:0}");
        Assert.InRange(music / clip, 0.35, 0.65);
        Assert.Equal((2, 0), (h.Source.Pins, h.Source.Held));
    }

    [Theory]
    [InlineData("sync.mp4", 1)]
    [InlineData("sync.mp4", 2)]
    [InlineData("sync.mp4", 4)]
    [InlineData("sync.mp4", 0.5)]
    [InlineData("sync.mp4", 0.25)]
    [InlineData("late.mp4", 1)]
    public async Task FlashAndBeep_StayTogether_AfterTrimSpeedAndAPrecedingSegment(string clip, double speed)
    {
        using var h = new RenderHarness(fixture.Media);
        var s = speed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // The clip flashes white and beeps at 1 s; trimmed by 0.5 s and after 0.6 s of red.
        var result = await h.RenderAsync($$$"""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'color': {'color': '#FF0000'}, 'duration': 0.6},
              {'video': {'src': 'https://media.test/{{{clip}}}', 'trimStart': 0.5, 'speed': {{{s}}}}}]}
            """);

        var expected = 0.6 + (0.5 / speed);
        Assert.InRange(result.Facts.Duration, 0.6 + (1.5 / speed) - Frame25, 0.6 + (1.5 / speed) + Frame25);
        var flash = Pictures.Of(result.OutputPath, 160, 120).FirstWhite(80, 60) * Frame25;
        var beep = Sound.Of(result.OutputPath).Onset(Audible) ?? -1;
        Assert.InRange(flash, expected - Frame25, expected + Frame25);
        Assert.InRange(beep, expected - Frame25, expected + Frame25);
        Assert.InRange(beep - flash, -Frame25, Frame25);
    }
}
