
namespace RenderFarm.Node.Tests.Rendering;

/// <summary>Output formats, frame rates, sizes and quality levels, as ffprobe reports them.</summary>
public sealed class OutputFidelityTests(FidelityMedia fixture) : IClassFixture<FidelityMedia>
{
    private const string RedSecond = """
        {'width': 160, 'height': 120, 'fps': 25, 'segments': [{'color': {'color': '#FF0000'}, 'duration': 1}]}
        """;

    [Fact]
    public async Task Hevc_IsAnMp4TaggedHvc1()
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync(RedSecond, "{'videoCodec': 'HEVC', 'quality': 'DRAFT'}");

        var stream = Ffprobe.Run("-select_streams", "v:0", "-show_entries", "stream=codec_name,codec_tag_string", "-of", "csv=p=0", result.OutputPath);
        Assert.Equal("hevc,hvc1", stream);
        Assert.Equal(("libx265", "video/mp4"), (result.Encoder, result.ContentType));
        RenderHarness.AssertColor((255, 0, 0), RenderHarness.Pixel(result.OutputPath, 0.5, 80, 60));
    }

    [Theory]
    [InlineData(24)]
    [InlineData(25)]
    [InlineData(30)]
    [InlineData(60)]
    public async Task EveryFrameRate_GivesExactlyThatManyFramesPerSecond(int fps)
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync($$$"""
            {'width': 160, 'height': 120, 'fps': {{{fps}}}, 'segments': [
              {'color': {'color': '#FF0000'}, 'duration': 0.5}, {'image': {'src': 'https://media.test/blue.jpg'}, 'duration': 0.5},
              {'video': {'src': 'https://media.test/vfr.mp4'}, 'duration': 0.5, 'transition': {'kind': 'FADE', 'duration': 0.25}}]}
            """);

        Assert.Equal(fps, result.Facts.Fps);
        Assert.Equal((int)(fps * 1.25), Ffprobe.CountFrames(result.OutputPath));
    }

    [Fact]
    public async Task HighQuality_SpendsMoreBytesThanDraft_OnTheSameContent()
    {
        const string noise = "{'width': 160, 'height': 120, 'fps': 25, 'segments': [{'video': {'src': 'https://media.test/noise.mp4'}}]}";
        long draft, high;
        using (var h = new RenderHarness(fixture.Media))
        {
            draft = (await h.RenderAsync(noise, "{'quality': 'DRAFT'}")).Facts.SizeBytes;
        }
        using (var h = new RenderHarness(fixture.Media))
        {
            high = (await h.RenderAsync(noise, "{'quality': 'HIGH'}")).Facts.SizeBytes;
        }

        Assert.True(high > draft * 1.5, $"HIGH {high} bytes, DRAFT {draft} bytes");
    }

    [Theory]
    [InlineData("INSTAGRAM_STORY", 1080, 1920)]
    [InlineData("INSTAGRAM_FEED", 1080, 1080)]
    public async Task Preset_SetsTheFrameSize(string preset, int width, int height)
    {
        using var h = new RenderHarness(fixture.Media);
        var result = await h.RenderAsync($$$"""
            {'preset': '{{{preset}}}', 'fps': 24, 'segments': [{'color': {'color': '#FF0000'}, 'duration': 0.25}]}
            """, "{'quality': 'DRAFT'}");

        Assert.Equal((width, height), (result.Facts.Width, result.Facts.Height));
        Assert.Equal(6, Ffprobe.CountFrames(result.OutputPath));
    }
}
