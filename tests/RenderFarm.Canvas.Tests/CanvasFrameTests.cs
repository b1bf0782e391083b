using RenderFarm.Contracts.V1;
using Preset = RenderFarm.Contracts.V1.Canvas.Types.Preset;

namespace RenderFarm.CanvasModel.Tests;

public sealed class CanvasFrameTests
{
    [Theory]
    [InlineData(Preset.YoutubeShort, 1080, 1920)]
    [InlineData(Preset.InstagramReel, 1080, 1920)]
    [InlineData(Preset.InstagramStory, 1080, 1920)]
    [InlineData(Preset.Tiktok, 1080, 1920)]
    [InlineData(Preset.YoutubeLandscape, 1920, 1080)]
    [InlineData(Preset.FullHd, 1920, 1080)]
    [InlineData(Preset.InstagramFeed, 1080, 1080)]
    [InlineData(Preset.Hd, 1280, 720)]
    [InlineData(Preset.Uhd4K, 3840, 2160)]
    public void Preset_GivesItsSize(Preset preset, int width, int height)
    {
        var frame = CanvasFrame.Of(new Contracts.V1.Canvas { Preset = preset });
        Assert.Equal((width, height), (frame.Width, frame.Height));
    }

    [Fact]
    public void Defaults_Are1080p30_OnBlack()
    {
        var frame = CanvasFrame.Of(new Contracts.V1.Canvas());
        Assert.Equal(new CanvasFrame(1920, 1080, 30, RgbaColor.Black), frame);
    }

    [Fact]
    public void ExplicitSize_WinsOverPreset()
    {
        var frame = CanvasFrame.Of(new Contracts.V1.Canvas { Preset = Preset.Hd, Width = 320, Height = 240, Fps = 25, BackgroundColor = "#FF0000" });
        Assert.Equal(new CanvasFrame(320, 240, 25, new RgbaColor(255, 0, 0)), frame);
    }
}
