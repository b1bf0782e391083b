using System.Text.Json;
using RenderFarm.Node.Tests.Rendering;

namespace RenderFarm.Node.Tests.Text;

/// <summary>Captions drawn by libass, timed to the words as heard in the rendered audio.</summary>
public sealed class CaptionRenderTests(TestMedia media, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<TestMedia>
{
    private const int Width = 320, Height = 240, Fps = 25;

    private static bool Yellow(byte r, byte g, byte b) => r > 150 && g > 150 && b < 90;

    // Caption region: the bottom third, where BOTTOM captions sit.
    private static InkBox? CaptionInk(byte[] frame, Func<byte, byte, byte, bool> ink) => InkBox.Of(frame, Width, ink, 0, Height * 2 / 3);

    private async Task<(List<byte[]> Frames, string Path)> RenderAsync(RenderHarness h, string segments, double duration)
    {
        var result = await h.RenderAsync($"{{'width': {Width}, 'height': {Height}, 'fps': {Fps}, 'segments': ["
            + $"{{'color': {{'color': '#000000'}}, 'duration': {duration}}}, {segments}]}}");
        return (InkBox.Frames(result.OutputPath, Width, Height), result.OutputPath);
    }

    [Fact]
    public async Task SpeechCaptions_AppearWhenTheFirstWordIsHeard()
    {
        using var h = new RenderHarness(media);
        var (frames, path) = await RenderAsync(h,
            "{'speech': {'text': 'One. Two. Three.'}, 'start': 0.6}, {'captions': {'source': 'SPEECH', 'style': 'PLAIN'}}", 4);

        var onset = InkBox.Sounds(path)[0].Start;
        var shown = frames.FindIndex(f => CaptionInk(f, InkBox.White) is not null) / (double)Fps;
        output.WriteLine($"speech heard at {onset:0.000} s, caption shown at {shown:0.000} s");
        Assert.True(Math.Abs(shown - onset) <= 2.0 / Fps, $"speech heard at {onset:0.000} s, caption shown at {shown:0.000} s");
        Assert.Null(InkBox.Of(frames[(int)(0.3 * Fps)], Width, InkBox.White));
    }

    [Fact]
    public async Task Karaoke_HighlightsTheWordBeingHeard_AndMovesWithTheSpeech()
    {
        using var h = new RenderHarness(media);
        var (frames, path) = await RenderAsync(h,
            "{'speech': {'text': 'One. Two. Three.', 'rate': 140}, 'start': 0.2}, {'captions': {'style': 'KARAOKE', 'fontSize': 28}}", 4);

        var sounds = InkBox.Sounds(path);
        Assert.True(sounds.Count >= 3, $"expected three spoken words, heard {sounds.Count}");
        var highlights = sounds.Take(3)
            .Select(s => CaptionInk(frames[(int)Math.Round((s.Start + Math.Min(s.End, s.Start + 0.5)) / 2 * Fps)], Yellow))
            .ToList();
        Assert.All(highlights, Assert.NotNull);
        Assert.True(highlights[0]!.CenterX < highlights[1]!.CenterX && highlights[1]!.CenterX < highlights[2]!.CenterX,
            string.Join(", ", highlights.Select(b => b!.CenterX)));
        // The other words stay in the caption color.
        Assert.NotNull(CaptionInk(frames[(int)Math.Round(sounds[1].Start * Fps) + 2], InkBox.White));
    }

    [Fact]
    public async Task ExplicitWords_ShowExactlyInTheirWindows()
    {
        using var h = new RenderHarness(media);
        var (frames, _) = await RenderAsync(h, """
            {'captions': {'source': 'EXPLICIT', 'words': [
              {'text': 'ALPHA', 'start': 0.4, 'end': 1.0}, {'text': 'OMEGA', 'start': 2.2, 'end': 2.8}]}}
            """, 3.2);

        for (var i = 0; i < frames.Count; i++)
        {
            var t = (double)i / Fps;
            var expected = (t >= 0.4 - 1e-9 && t < 1.0 - 1e-9) || (t >= 2.2 - 1e-9 && t < 2.8 - 1e-9);
            Assert.True(expected == CaptionInk(frames[i], InkBox.White) is not null, $"frame {i} ({t:0.00} s): caption {(expected ? "missing" : "shown")}");
        }
    }

    [Fact]
    public async Task AssOverridesInWords_AreShownLiterally()
    {
        using var h = new RenderHarness(media);
        var word = JsonSerializer.Serialize(@"{\c&H0000FF&}R\Nx");
        var (frames, _) = await RenderAsync(h, $"{{'captions': {{'source': 'EXPLICIT', 'fontSize': 20, 'words': [{{'text': {word}, 'start': 0, 'end': 1}}]}}}}", 1);

        static bool Red(byte r, byte g, byte b) => r > 150 && g < 90 && b < 90;
        var frame = frames[Fps / 2];
        Assert.Null(InkBox.Of(frame, Width, Red));
        var lines = InkBox.Lines(frame, Width, InkBox.White);
        Assert.Single(lines);
        // Braces, tag and \N are drawn: far wider than "Rx".
        Assert.True(lines[0].MaxX - lines[0].MinX > 150, $"{lines[0]}");
    }
}
