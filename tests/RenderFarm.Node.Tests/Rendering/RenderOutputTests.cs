using static RenderFarm.Node.Tests.Rendering.RenderHarness;

namespace RenderFarm.Node.Tests.Rendering;

public sealed class RenderOutputTests(TestMedia media) : IClassFixture<TestMedia>
{
    private const string WithSound = """
        {'width': 160, 'height': 120, 'fps': 25, 'segments': [
          {'color': {'color': '#FF0000'}, 'duration': 1},
          {'audio': {'src': 'https://media.test/tone.wav'}}]}
        """;

    [Fact]
    public async Task Webm_IsVp9WithOpus()
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync(WithSound, "{'format': 'WEBM', 'quality': 'DRAFT'}");

        Assert.Equal(("vp9", "opus", "video/webm", "libvpx-vp9"), (result.Facts.VideoCodec, result.Facts.AudioCodec, result.ContentType, result.Encoder));
        Assert.EndsWith(".webm", result.OutputPath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gif_HasNoAudio_AndKeepsColors()
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync(WithSound, "{'format': 'GIF'}");

        Assert.Equal(("gif", null, "image/gif"), (result.Facts.VideoCodec, result.Facts.AudioCodec, result.ContentType));
        AssertColor((255, 0, 0), Pixel(result.OutputPath, 0.5, 80, 60), tolerance: 40);
    }

    [Fact]
    public async Task Poster_IsAJpegOfTheVideo()
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync(WithSound, "{'poster': true, 'quality': 'HIGH'}");

        Assert.NotNull(result.PosterPath);
        var bytes = await File.ReadAllBytesAsync(result.PosterPath);
        Assert.Equal([0xFF, 0xD8], bytes[..2]);
        AssertColor((255, 0, 0), Pixel(result.PosterPath, 0, 80, 60));
    }

    [Theory]
    [InlineData("DISSOLVE")]
    [InlineData("WIPE_LEFT")]
    [InlineData("WIPE_DOWN")]
    [InlineData("SLIDE_UP")]
    [InlineData("SLIDE_RIGHT")]
    [InlineData("CIRCLE_OPEN")]
    public async Task EveryTransition_Renders_WithTheOverlapRemoved(string kind)
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync($$"""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'color': {'color': '#FF0000'}, 'duration': 1},
              {'video': {'src': 'https://media.test/silent.mp4'}, 'duration': 1, 'transition': {'kind': '{{kind}}', 'duration': 0.5} }
            ]}
            """);

        Assert.InRange(result.Facts.Duration, 1.5 - 0.04, 1.5 + 0.04);
    }

    [Fact]
    public async Task StyledText_WithBoxFadeAndWrapping_Renders()
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync("""
            {'width': 320, 'height': 240, 'fps': 25, 'segments': [
              {'video': {'src': 'https://media.test/clip.mp4', 'fit': 'CONTAIN_BLUR', 'speed': 2}},
              {'text': {'text': 'a long caption that has to wrap over several lines', 'fontSize': 24, 'color': '#FFFF00CC',
                'backgroundColor': '#00000080', 'fadeIn': 0.3, 'fadeOut': 0.3, 'x': 0.1, 'y': 0.6, 'maxWidth': 0.5}, 'start': 0.2}]}
            """);

        // 3 s of clip at double speed.
        Assert.InRange(result.Facts.Duration, 1.5 - 0.04, 1.5 + 0.04);
        Assert.Equal("aac", result.Facts.AudioCodec);
    }
}
