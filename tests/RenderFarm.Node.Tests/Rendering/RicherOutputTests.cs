using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using RenderFarm.Node.Tests.Text;
using static RenderFarm.Node.Tests.Rendering.RenderHarness;

namespace RenderFarm.Node.Tests.Rendering;

/// <summary>Audio-only outputs, stills, posters and the captions and transcript files, checked with ffprobe and pixels.</summary>
public sealed partial class RicherOutputTests(TestMedia media) : IClassFixture<TestMedia>
{
    private const int Width = 160, Height = 120, Fps = 25;

    // One frame, with room for the float error of times on frame boundaries.
    private const double OneFrame = (1.0 / Fps) + 1e-6;

    // Red, green, blue: a second each.
    private const string ThreeColors = """
        {'width': 160, 'height': 120, 'fps': 25, 'segments': [
          {'color': {'color': '#FF0000'}, 'duration': 1},
          {'color': {'color': '#00FF00'}, 'duration': 1},
          {'color': {'color': '#0000FF'}, 'duration': 1},
          {'audio': {'src': 'https://media.test/tone.wav'}}]}
        """;

    private static readonly (int, int, int) Red = (255, 0, 0), Green = (0, 255, 0), Blue = (0, 0, 255);

    [Theory]
    [InlineData("MP3", "mp3", "audio/mpeg", 0.06)]
    [InlineData("WAV", "pcm_s16le", "audio/wav", 0.002)]
    public async Task AudioOnlyFormats_HoldOneAudioStream_OfTheCanvasDuration(string format, string codec, string contentType, double tolerance)
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync(ThreeColors, $"{{'format': '{format}'}}");

        // One stream, and it is audio.
        Assert.Equal("audio", Ffprobe.Run("-show_entries", "stream=codec_type", "-of", "csv=p=0", result.OutputPath));
        Assert.Equal(codec, Ffprobe.Run("-show_entries", "stream=codec_name", "-of", "csv=p=0", result.OutputPath));
        Assert.Equal(contentType, result.ContentType);
        Assert.Equal((0, 0, codec), (result.Facts.Width, result.Facts.Height, result.Facts.AudioCodec));
        Assert.InRange(Ffprobe.Duration(result.OutputPath), 3 - tolerance, 3 + tolerance);
    }

    [Fact]
    public async Task AudioOnly_PlaysClipSound_WhenTheVideoWouldPlayIt()
    {
        using var h = new RenderHarness(media);
        const string Canvas = """
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'color': {'color': '#FF0000'}, 'duration': 1},
              {'video': {'src': 'https://media.test/clip.mp4', 'trimStart': 0.5}, 'duration': 1.2},
              {'color': {'color': '#0000FF'}, 'duration': 0.8}]}
            """;
        var video = await h.RenderAsync(Canvas, "{'quality': 'DRAFT'}");
        var audio = await h.RenderAsync(Canvas, "{'format': 'WAV'}");

        // Sounds reports a last open interval at the very end; the clip is the first.
        var (heard, expected) = (InkBox.Sounds(audio.OutputPath)[0], InkBox.Sounds(video.OutputPath)[0]);
        Assert.True(Math.Abs(heard.Start - expected.Start) < 0.02 && Math.Abs(heard.End - expected.End) < 0.03, $"WAV {heard}, MP4 {expected}");
        Assert.InRange(heard.Start, 0.98, 1.02);
        Assert.InRange(Ffprobe.Duration(audio.OutputPath), 3 - 0.002, 3 + 0.002);
    }

    [Fact]
    public async Task AudioOnly_OfASilentCanvas_IsSilenceOfItsDuration()
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync("{'width': 160, 'height': 120, 'segments': [{'color': {'color': '#FF0000'}, 'duration': 1.5}]}", "{'format': 'WAV'}");

        Assert.Equal("audio", Ffprobe.Run("-show_entries", "stream=codec_type", "-of", "csv=p=0", result.OutputPath));
        Assert.InRange(Ffprobe.Duration(result.OutputPath), 1.5 - 0.002, 1.5 + 0.002);
        Assert.All(Samples(result.OutputPath), b => Assert.Equal(0, b));
    }

    [Fact]
    public async Task PngStills_AreTheFramesAtTheirTimes_InTheOrderAsked()
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync(ThreeColors, "{'format': 'PNG', 'stillTimes': [2.5, 0.5, 1.5, 0.5, 3]}");

        Assert.Equal("image/png", result.ContentType);
        Assert.Equal(5, result.Stills.Count);
        Assert.Equal(result.Stills[0].Path, result.OutputPath);
        Assert.All(result.Stills, s => Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(s.Path)[..4]));
        (int, int, int)[] expected = [Blue, Red, Green, Red, Blue];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal("png", Ffprobe.Run("-show_entries", "stream=codec_name", "-of", "csv=p=0", result.Stills[i].Path));
            AssertColor(expected[i], Pixel(result.Stills[i].Path, 0, Width / 2, Height / 2), tolerance: 8);
        }
        // A time at the very end shows the last frame.
        Assert.Equal(74 / 25.0, result.Stills[4].FrameTime, 6);
    }

    [Fact]
    public async Task JpegStillsAndPosterTime_BesideAVideo_MatchTheVideosFrames()
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'video': {'src': 'https://media.test/silent.mp4'}, 'duration': 2},
              {'color': {'color': '#0000FF'}, 'duration': 1}]}
            """, "{'stillTimes': [0.52, 1.3], 'posterTime': 2.2, 'quality': 'HIGH'}");

        Assert.Equal("h264", result.Facts.VideoCodec);
        Assert.Equal(2, result.Stills.Count);
        Assert.NotNull(result.PosterPath);
        AssertColor(Blue, Pixel(result.PosterPath, 0, Width / 2, Height / 2));
        foreach (var still in result.Stills)
        {
            Assert.Equal([0xFF, 0xD8], File.ReadAllBytes(still.Path)[..2]);
            Assert.Equal(Math.Floor(still.Time * Fps) / Fps, still.FrameTime, 6);
            // testsrc2 moves every frame: the still is the video's frame at that time, not a neighbour
            // (Frame decodes the first frame at or after the time it is given).
            var (stillRgb, _) = Frame(still.Path, 0);
            var (videoRgb, _) = Frame(result.OutputPath, still.FrameTime - 0.25 / Fps);
            var (previousRgb, _) = Frame(result.OutputPath, still.FrameTime - 1.25 / Fps);
            var same = MeanDifference(stillRgb, videoRgb);
            Assert.True(same < 6 && same < MeanDifference(stillRgb, previousRgb), $"still at {still.Time}: {same:0.0} from its frame, {MeanDifference(stillRgb, previousRgb):0.0} from the one before");
        }
    }

    [Theory]
    [InlineData("GIF")]
    [InlineData("WEBM")]
    public async Task StillsAndPoster_BesideEveryVideoFormat_ShowTheirFrames(string format)
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync(ThreeColors, $"{{'format': '{format}', 'quality': 'DRAFT', 'stillTimes': [1.5, 0.2], 'posterTime': 2.5}}");

        Assert.InRange(result.Facts.Duration, 3 - 0.05, 3 + 0.05);
        AssertColor(Green, Pixel(result.Stills[0].Path, 0, Width / 2, Height / 2));
        AssertColor(Red, Pixel(result.Stills[1].Path, 0, Width / 2, Height / 2));
        AssertColor(Blue, Pixel(result.PosterPath!, 0, Width / 2, Height / 2));
    }

    [Fact]
    public async Task Srt_ParsesStrictly_AndMatchesTheBurnedInCaptions_WithinOneFrame()
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 4},
              {'captions': {'source': 'EXPLICIT', 'fontSize': 20, 'words': [
                {'text': 'ALPHA', 'start': 0.41, 'end': 0.7}, {'text': 'BETA', 'start': 0.7, 'end': 1.13},
                {'text': 'OMEGA', 'start': 2.27, 'end': 2.86}]}}]}
            """, "{'sidecars': ['SRT', 'VTT', 'TRANSCRIPT_JSON']}");

        Assert.Equal(["captions.srt", "captions.vtt", "transcript.json"], result.Sidecars.Select(s => Path.GetFileName(s.Path)));
        var cues = ParseSrt(File.ReadAllText(result.Sidecars[0].Path));
        Assert.Equal([("ALPHA BETA", 0.41, 1.13), ("OMEGA", 2.27, 2.86)], cues);
        // ffmpeg's own SubRip demuxer reads the same two cues.
        Assert.Equal("0.410000,0.720000\n2.270000,0.590000",
            Ffprobe.Run("-f", "srt", "-show_entries", "packet=pts_time,duration_time", "-of", "csv=p=0", result.Sidecars[0].Path).Replace("\r", ""));

        var shown = Shown(InkBox.Frames(result.OutputPath, Width, Height));
        Assert.Equal(cues.Count, shown.Count);
        for (var i = 0; i < cues.Count; i++)
        {
            Assert.True(Math.Abs(shown[i].Start - cues[i].Start) <= OneFrame && Math.Abs(shown[i].End - cues[i].End) <= OneFrame,
                $"cue {i}: srt {cues[i].Start:0.000}-{cues[i].End:0.000}, burned in {shown[i].Start:0.000}-{shown[i].End:0.000}");
        }

        var vtt = File.ReadAllText(result.Sidecars[1].Path);
        Assert.StartsWith("WEBVTT\n\n00:00:00.410 --> 00:00:01.130\nALPHA BETA\n\n", vtt, StringComparison.Ordinal);
        using var transcript = JsonDocument.Parse(File.ReadAllText(result.Sidecars[2].Path));
        Assert.Equal(["ALPHA", "BETA", "OMEGA"], transcript.RootElement.GetProperty("words").EnumerateArray().Select(w => w.GetProperty("text").GetString()));
        Assert.Equal(2, transcript.RootElement.GetProperty("segments").GetArrayLength());
        Assert.Equal(["ALPHA", "BETA", "OMEGA"], result.Words.Select(w => w.Text));
    }

    [Fact]
    public async Task SpeechTranscript_HasEveryWordAsHeard_AndTheSrtFollowsTheBurnedInCaptions()
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync("""
            {'width': 160, 'height': 120, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 4},
              {'speech': {'text': 'One. Two. Three.'}, 'start': 0.6},
              {'captions': {'source': 'SPEECH', 'style': 'PLAIN', 'fontSize': 20}}]}
            """, "{'sidecars': ['SRT']}");

        Assert.Equal(["One.", "Two.", "Three."], result.Words.Select(w => w.Text));
        var onset = InkBox.Sounds(result.OutputPath)[0].Start;
        Assert.True(Math.Abs(result.Words[0].Start - onset) <= 2.0 / Fps, $"first word at {result.Words[0].Start:0.000} s, heard at {onset:0.000} s");
        var cues = ParseSrt(File.ReadAllText(result.Sidecars[0].Path));
        var shown = Shown(InkBox.Frames(result.OutputPath, Width, Height));
        Assert.Equal(cues.Count, shown.Count);
        Assert.All(cues.Zip(shown), p => Assert.True(Math.Abs(p.First.Start - p.Second.Start) <= OneFrame && Math.Abs(p.First.End - p.Second.End) <= OneFrame,
            $"srt {p.First.Start:0.000}-{p.First.End:0.000}, burned in {p.Second.Start:0.000}-{p.Second.End:0.000}"));
    }

    [Fact]
    public async Task WordsWithLineBreaksAndMarkup_KeepTheCaptionFilesStrict()
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync("""
            {'width': 320, 'height': 120, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 2},
              {'captions': {'source': 'EXPLICIT', 'fontSize': 16, 'words': [
                {'text': 'a<b>&', 'start': 0.2, 'end': 0.6}, {'text': 'two\n\nlines', 'start': 0.6, 'end': 1.2}]}}]}
            """, "{'format': 'JPEG', 'stillTimes': [1], 'sidecars': ['SRT', 'VTT']}");

        Assert.Equal([("a<b>& two lines", 0.2, 1.2)], ParseSrt(File.ReadAllText(result.Sidecars[0].Path)));
        Assert.Equal("WEBVTT\n\n00:00:00.200 --> 00:00:01.200\na&lt;b&gt;&amp; two lines\n\n", File.ReadAllText(result.Sidecars[1].Path));
        Assert.Equal("two\n\nlines", result.Words[1].Text);
    }

    [Fact]
    public async Task WithoutCaptions_TheSidecarsGroupTheSpeech()
    {
        using var h = new RenderHarness(media);
        var result = await h.RenderAsync("""
            {'width': 640, 'height': 360, 'fps': 25, 'segments': [
              {'color': {'color': '#000000'}, 'duration': 3},
              {'speech': {'text': 'Hello there'}, 'start': 0.5}]}
            """, "{'format': 'MP3', 'sidecars': ['SRT']}");

        var cues = ParseSrt(File.ReadAllText(result.Sidecars[0].Path));
        Assert.Equal(["Hello there"], cues.Select(c => c.Text));
        Assert.Equal(result.Words[0].Start, cues[0].Start, 3);
    }

    // Each run of frames showing caption ink: [first frame's time, the time after the last).
    private static List<(double Start, double End)> Shown(List<byte[]> frames)
    {
        var runs = new List<(double, double)>();
        int? from = null;
        for (var i = 0; i <= frames.Count; i++)
        {
            var ink = i < frames.Count && InkBox.Of(frames[i], Width, InkBox.White) is not null;
            if (ink && from is null)
            {
                from = i;
            }
            else if (!ink && from is { } f)
            {
                runs.Add((f / (double)Fps, i / (double)Fps));
                from = null;
            }
        }
        return runs;
    }

    // The decoded audio as 16-bit little-endian bytes.
    private static byte[] Samples(string path)
    {
        var start = new System.Diagnostics.ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-v", "error", "-i", path, "-f", "s16le", "-"])
        {
            start.ArgumentList.Add(a);
        }
        using var p = System.Diagnostics.Process.Start(start)!;
        using var ms = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(ms);
        p.WaitForExit();
        Assert.True(ms.Length > 0);
        return ms.ToArray();
    }

    private static double MeanDifference(byte[] a, byte[] b) => a.Zip(b).Average(p => Math.Abs(p.First - p.Second));

    /// <summary>A strict SubRip parser: counters from 1, "HH:MM:SS,mmm --> HH:MM:SS,mmm", text lines, one blank line; nothing else.</summary>
    internal static List<(string Text, double Start, double End)> ParseSrt(string srt)
    {
        var cues = new List<(string, double, double)>();
        var blocks = srt.Split("\n\n");
        Assert.Equal("", blocks[^1]);
        for (var i = 0; i < blocks.Length - 1; i++)
        {
            var lines = blocks[i].Split('\n');
            Assert.True(lines.Length >= 3, $"cue {i + 1} has no text: {blocks[i]}");
            Assert.Equal((i + 1).ToString(CultureInfo.InvariantCulture), lines[0]);
            var m = SrtTimes().Match(lines[1]);
            Assert.True(m.Success, $"bad timing line: {lines[1]}");
            var (start, end) = (Seconds(m, 1), Seconds(m, 5));
            Assert.True(end > start, lines[1]);
            Assert.All(lines[2..], l => Assert.False(string.IsNullOrWhiteSpace(l)));
            cues.Add((string.Join('\n', lines[2..]), start, end));
        }
        return cues;
    }

    private static double Seconds(Match m, int g) =>
        (int.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture) * 3600) + (int.Parse(m.Groups[g + 1].Value, CultureInfo.InvariantCulture) * 60)
        + int.Parse(m.Groups[g + 2].Value, CultureInfo.InvariantCulture) + (int.Parse(m.Groups[g + 3].Value, CultureInfo.InvariantCulture) / 1000.0);

    [GeneratedRegex(@"^(\d{2}):([0-5]\d):([0-5]\d),(\d{3}) --> (\d{2}):([0-5]\d):([0-5]\d),(\d{3})$")]
    private static partial Regex SrtTimes();
}
