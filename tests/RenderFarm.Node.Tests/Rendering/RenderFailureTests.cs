using RenderFarm.Node.Rendering;

namespace RenderFarm.Node.Tests.Rendering;

public sealed class RenderFailureTests(TestMedia media) : IClassFixture<TestMedia>
{
    // Long enough (at 640x480) that the render is still running when it is cancelled.
    private const string Long = """
        {'width': 640, 'height': 480, 'fps': 30, 'segments': [
          {'video': {'src': 'https://media.test/clip.mp4'}, 'duration': 60},
          {'text': {'text': 'busy', 'fontSize': 60}}]}
        """;

    [Fact]
    public async Task Cancel_KillsFfmpeg_AndLeavesNoOutput()
    {
        using var h = new RenderHarness(media);
        using var cts = new CancellationTokenSource();
        var task = h.RenderAsync(Long, cancellationToken: cts.Token, onProgress: s =>
        {
            if (s is { Stage: "rendering", Progress: > 0 })
            {
                cts.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        var output = Path.Combine(h.WorkDirectory, "output.mp4");
        Assert.Empty(FfmpegProcesses.Writing(output));
        Assert.False(File.Exists(output));
        Assert.Contains(h.Logs.Messages, m => m.StartsWith("Rendering job-1", StringComparison.Ordinal));
        // FFMpegCore itself killed FFmpeg: the renderer's fallback found nothing left to kill.
        Assert.DoesNotContain(h.Logs.Messages, m => m.StartsWith("Killed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Timeout_StopsFfmpeg_WithRenderTimeout()
    {
        using var h = new RenderHarness(media, new Dictionary<string, string?>
        {
            ["RenderFarm:Render:MinRenderTime"] = "00:00:00.2",
            ["RenderFarm:Render:MaxRenderTime"] = "00:00:00.5",
        });

        var e = await Assert.ThrowsAsync<RenderException>(() => h.RenderAsync(Long));

        Assert.Equal("RENDER_TIMEOUT", e.Code);
        Assert.Empty(FfmpegProcesses.Writing(Path.Combine(h.WorkDirectory, "output.mp4")));
    }

    [Fact]
    public async Task CorruptInput_FailsWithRenderFailed_NotAHang()
    {
        using var h = new RenderHarness(media);
        var e = await Assert.ThrowsAsync<RenderException>(() => h.RenderAsync(
            "{'width': 160, 'height': 120, 'segments': [{'video': {'src': 'https://media.test/corrupt.mp4'}, 'duration': 1}]}"));

        Assert.Equal("RENDER_FAILED", e.Code);
        Assert.True(e.Retryable);
        Assert.False(File.Exists(Path.Combine(h.WorkDirectory, "output.mp4")));
    }

    [Fact]
    public async Task MediaError_KeepsTheMediaCode()
    {
        using var h = new RenderHarness(media);
        var e = await Assert.ThrowsAsync<RenderException>(() => h.RenderAsync(
            "{'width': 160, 'height': 120, 'segments': [{'video': {'src': 'https://media.test/refused.mp4'}, 'duration': 1}]}"));

        Assert.Equal(("MEDIA_URL_REFUSED", false), (e.Code, e.Retryable));
    }

    [Fact]
    public async Task InvalidCanvas_IsRejectedBeforeRendering()
    {
        using var h = new RenderHarness(media);
        var e = await Assert.ThrowsAsync<RenderException>(() => h.RenderAsync("{'segments': [{'color': {'color': 'red'}, 'duration': 1}]}"));
        Assert.Equal("INVALID_CANVAS", e.Code);
    }
}
