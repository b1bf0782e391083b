using static RenderFarm.Node.Tests.Rendering.RenderHarness;

namespace RenderFarm.Node.Tests.Rendering;

public sealed class RenderMediaTests(TestMedia media) : IClassFixture<TestMedia>
{
    private const double Frame25 = 1.0 / 25;

    [Fact]
    public async Task TrimmedClip_WithMusic_HasExactDurationAndAudio()
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'video': {'src': 'https://media.test/clip.mp4', 'trimStart': 1, 'volume': 0.8}, 'duration': 1.5},
              {'audio': {'src': 'https://media.test/tone.wav', 'volume': 0.5, 'fadeIn': 0.2, 'fadeOut': 0.5}}]}
            """);

        Assert.InRange(result.Facts.Duration, 1.5 - Frame25, 1.5 + Frame25);
        Assert.Equal("aac", result.Facts.AudioCodec);
        Assert.Equal((160, 120), (result.Facts.Width, result.Facts.Height));
    }

    [Fact]
    public async Task ClipWithoutAudio_AndNoOtherSound_HasNoAudioStream_AndTakesMediaLength()
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [{'video': {'src': 'https://media.test/silent.mp4', 'fit': 'FILL'}}]}
            """);

        Assert.InRange(result.Facts.Duration, 2 - Frame25, 2 + Frame25);
        Assert.Null(result.Facts.AudioCodec);
    }

    [Fact]
    public async Task MutedClip_HasNoAudioStream()
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'segments': [{'video': {'src': 'https://media.test/clip.mp4', 'muted': true}, 'duration': 1}]}
            """);

        Assert.Null(result.Facts.AudioCodec);
        Assert.Equal(30, result.Facts.Fps);
    }

    [Fact]
    public async Task RotatedFootage_IsUpright_AndContainLetterboxesWithBackground()
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'fps': 25, 'backgroundColor': '#00FF00', 'segments': [
              {'video': {'src': 'https://media.test/rotated.mp4', 'fit': 'CONTAIN'}, 'duration': 1}]}
            """);

        // 160x80 turned 90° is 80x160: it fits 60x120 in the middle, green bars left and right.
        AssertColor((0, 255, 0), Pixel(result.OutputPath, 0.5, 10, 60));
        AssertColor((255, 255, 255), Pixel(result.OutputPath, 0.5, 80, 10));
    }

    [Theory]
    [InlineData("CONTAIN", 0, 255, 0)]
    [InlineData("COVER", 255, 0, 0)]
    [InlineData("FILL", 255, 0, 0)]
    public async Task Image_FitsTheFrame(string fit, int r, int g, int b)
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync($$"""
            {'width': 160, 'height': 120, 'fps': 25, 'backgroundColor': '#00FF00', 'segments': [
              {'image': {'src': 'https://media.test/red.png', 'fit': '{{fit}}'}, 'duration': 1}]}
            """);

        AssertColor((r, g, b), Pixel(result.OutputPath, 0.5, 80, 4));
        AssertColor((255, 0, 0), Pixel(result.OutputPath, 0.5, 80, 60));
        Assert.InRange(result.Facts.Duration, 1 - Frame25, 1 + Frame25);
    }

    [Fact]
    public async Task StillImage_JoinsByTransition_AtAFrameRateOtherThanTheDemuxers()
    {
        // Image demuxers report 25 fps; at 30 fps xfade used to refuse the join.
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'fps': 30, 'segments': [
              {'color': {'color': '#0000FF'}, 'duration': 1},
              {'image': {'src': 'https://media.test/red.png', 'fit': 'FILL'}, 'duration': 1, 'transition': {'kind': 'FADE', 'duration': 0.5}}]}
            """);

        Assert.InRange(result.Facts.Duration, 1.5 - 1.0 / 30, 1.5 + 1.0 / 30);
        AssertColor((0, 0, 255), Pixel(result.OutputPath, 0.2, 80, 60));
        AssertColor((255, 0, 0), Pixel(result.OutputPath, 1.3, 80, 60));
    }

    [Fact]
    public async Task ZoomingImage_WithSpeech_RendersWithAudio()
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'image': {'src': 'https://media.test/red.png', 'zoom': 'IN', 'pan': 'PAN_LEFT'}, 'duration': 2},
              {'speech': {'text': 'Hello there', 'voice': 'en', 'rate': 200}, 'start': 0.3}]}
            """);

        Assert.Equal("aac", result.Facts.AudioCodec);
        Assert.InRange(result.Facts.Duration, 2 - Frame25, 2 + Frame25);
    }
}
