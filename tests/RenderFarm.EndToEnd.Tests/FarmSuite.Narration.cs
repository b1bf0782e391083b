using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using RenderFarm.Contracts.V1;
using RenderFarm.TextToSpeech;
using RenderFarm.Testing;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>Narrated scenes: each base segment as long as its narration, planned exactly and rendered in sync.</summary>
public abstract partial class FarmSuite
{
    private static readonly SpeechSynthesizer Voice = new(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Plan_NarratedScenes_LastTheirSynthesisedSpeechPlusPadding_AndWarnWhereCut()
    {
        string[] texts = ["Our product saves time.", "It plans every scene for you.", "And it never guesses."];
        var canvas = new
        {
            width = 160,
            height = 90,
            fps = 25,
            segments = new object[]
            {
                new { color = new { color = "#FF0000" }, narration = new { text = texts[0] } },
                new { color = new { color = "#00FF00" }, narration = new { text = texts[1], rate = 220 }, narrationPadding = 1.25 },
                new { color = new { color = "#0000FF" }, narration = new { text = texts[2] }, duration = 0.5 },
            },
        };
        var plan = await PostOkAsync("/v1/plans", Rest.Json(new { canvas, skipPreviews = true }));

        var lengths = new[]
        {
            (await Voice.SpeakAsync(new Speech { Text = texts[0] }, default)).Duration + 0.5,
            (await Voice.SpeakAsync(new Speech { Text = texts[1], Rate = 220 }, default)).Duration + 1.25,
            0.5,
        };
        var segments = plan["canvas"]!["segments"]!.AsArray();
        double start = 0;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(start, segments[i]!["start"]!.GetValue<double>(), 9);
            Assert.Equal(lengths[i], segments[i]!["duration"]!.GetValue<double>(), 9);
            start += lengths[i];
        }
        Assert.Equal(start, plan["estimate"]!["duration"]!.GetValue<double>(), 9);
        Assert.False(plan["estimate"]!["approximate"]?.GetValue<bool>() ?? false);
        var warnings = plan["warnings"]!.AsArray().Select(w => (w!["code"]!.GetValue<string>(), w["path"]!.GetValue<string>())).ToList();
        Assert.Equal([("NARRATION_CUT", "canvas.segments[2].narration")], warnings);
    }

    [Fact]
    public async Task CreateProduction_WithoutAPlan_NodeTimesNarratedScenes_TheSameAsAPlanWould()
    {
        string[] texts = ["Hello from the first scene.", "Goodbye from the second."];
        var canvas = new
        {
            width = 160,
            height = 90,
            fps = 25,
            segments = new object[]
            {
                new { color = new { color = "#FF0000" }, narration = new { text = texts[0] } },
                new { color = new { color = "#0000FF" }, narration = new { text = texts[1] }, narrationPadding = 0.2 },
            },
        };
        var id = await RenderAsync(Rest.Json(new { canvas, output = new { quality = "DRAFT" } }));
        var result = (await Rest.GetAsync(Farm.Http, id))["result"]!;

        var first = (await Voice.SpeakAsync(new Speech { Text = texts[0] }, default)).Duration + 0.5;
        var total = first + (await Voice.SpeakAsync(new Speech { Text = texts[1] }, default)).Duration + 0.2;
        var file = await DownloadAsync(result["url"]!.GetValue<string>());
        Assert.InRange((await MediaFacts.ProbeAsync(file)).Duration, total - (1.0 / 25), total + (1.0 / 25));
        Assert.True((await Frame.AtAsync(file, first - 0.1, 160, 90)).Near(80, 20, "#FF0000"), "the first scene lasts its narration and padding");
        Assert.True((await Frame.AtAsync(file, first + 0.1, 160, 90)).Near(80, 20, "#0000FF"), "the second scene follows");
        var words = result["transcript"]!.AsArray();
        // espeak-ng may time two written words as one ("from the"): compare the words' text.
        Assert.Equal(string.Join(' ', texts), string.Join(' ', words.Select(w => w!["text"]!.GetValue<string>())));
        var goodbye = words.Single(w => w!["text"]!.GetValue<string>() == "Goodbye")!;
        Assert.InRange(goodbye["start"]!.GetValue<double>(), first, first + 0.3);
    }

    [Theory]
    [InlineData("{\"color\": {\"color\": \"#FFFFFF\"}, \"narration\": {\"text\": \"\"}}", "canvas.segments[1].narration.text", "FIELD_REQUIRED")]
    [InlineData("{\"color\": {\"color\": \"#FFFFFF\"}, \"narration\": {\"text\": \"hi\"}, \"narrationPadding\": -1}", "canvas.segments[1].narrationPadding", "OUT_OF_RANGE")]
    [InlineData("{\"color\": {\"color\": \"#FFFFFF\"}, \"duration\": 1, \"layer\": {\"width\": 0.5, \"height\": 0.5}, \"narration\": {\"text\": \"hi\"}}", "canvas.segments[1].narration", "NARRATION_NOT_ALLOWED")]
    [InlineData("{\"text\": {\"text\": \"Title\"}, \"narration\": {\"text\": \"hi\"}}", "canvas.segments[1].narration", "NARRATION_NOT_ALLOWED")]
    public async Task Rest_BadNarrations_AreInvalidArgument_NamingTheField(string segment, string field, string reason)
    {
        var json = $"{{\"canvas\": {{\"width\": 160, \"height\": 90, \"segments\": [{{\"color\": {{\"color\": \"#000000\"}}, \"duration\": 1}}, {segment}]}}}}";
        await AssertRefusedByCreateAndPlanAsync(json, field, reason);
    }

    [Fact]
    public async Task FortyNarratedScenes_OneProduction_EachSceneFlashMeetsItsNarrationsFirstSound()
    {
        const int Scenes = 40, Fps = 25, Width = 160, Height = 90;
        string[] colors = ["#FF0000", "#00C000", "#0000FF"];
        string[] imageColors = ["#FFFFFF", "#FFFF00", "#FF00FF"];
        var images = new string[3];
        for (var i = 0; i < 3; i++)
        {
            images[i] = await Farm.Media.ImageAsync($"narrated-{i}.png", imageColors[i], Width, Height);
        }
        var texts = Enumerable.Range(1, Scenes).Select(k => $"All right, scene {k} is on screen.").ToArray();
        var segments = new List<object>();
        for (var k = 0; k < Scenes; k++)
        {
            var narration = new { text = texts[k] };
            segments.Add(k % 2 == 0
                ? new { color = new { color = colors[k / 2 % 3] }, narration }
                : new { image = new { src = images[k / 2 % 3] }, narration });
        }
        segments.Add(new { captions = new { source = "SPEECH", fontSize = 10, position = "BOTTOM" } });
        var canvas = new { width = Width, height = Height, fps = Fps, narrationPadding = 0.4, segments };

        var plan = await PostOkAsync("/v1/plans", Rest.Json(new { canvas, skipPreviews = true }));
        var starts = plan["canvas"]!["segments"]!.AsArray().Take(Scenes).Select(s => s!["start"]!.GetValue<double>()).ToArray();
        var utterances = new List<Utterance>();
        foreach (var text in texts)
        {
            utterances.Add(await Voice.SpeakAsync(new Speech { Text = text }, default));
        }
        for (var k = 1; k < Scenes; k++)
        {
            Assert.Equal(starts[k - 1] + utterances[k - 1].Duration + 0.4, starts[k], 9);
        }

        var created = await PostOkAsync($"/v1/plans/{plan["id"]!.GetValue<string>()}:render", Rest.Json(new { fingerprint = plan["fingerprint"]!.GetValue<string>() }));
        var id = created["id"]!.GetValue<string>();
        var events = await Rest.ReadEventsAsync(Farm.Http, id, timeout: TimeSpan.FromMinutes(4));
        Assert.True("SUCCEEDED" == events[^1].Data["production"]!["state"]!.GetValue<string>(), events[^1].Data.ToJsonString());
        var result = (await Rest.GetAsync(Farm.Http, id))["result"]!;
        var file = await DownloadAsync(result["url"]!.GetValue<string>());
        var total = plan["estimate"]!["duration"]!.GetValue<double>();
        Assert.InRange((await MediaFacts.ProbeAsync(file)).Duration, total - (1.0 / Fps), total + (1.0 / Fps));

        // SPEECH captions (and the transcript) take the narrations' words.
        var transcript = result["transcript"]!.AsArray().Select(w => w!["text"]!.GetValue<string>());
        Assert.Equal(string.Join(' ', texts), string.Join(' ', transcript));

        var flashes = await SceneChangesAsync(file, Width, Height);
        Assert.True(flashes.Count == Scenes - 1, $"{flashes.Count} scene changes seen: {string.Join(", ", flashes)}");
        const int Rate = 48000;
        var pcm = await Tool.RunAsync("ffmpeg", ["-v", "error", "-i", file, "-map", "0:a", "-ac", "1", "-ar", $"{Rate}", "-f", "s16le", "-"]);
        var samples = new short[pcm.Length / 2];
        Buffer.BlockCopy(pcm, 0, samples, 0, samples.Length * 2);

        var misses = new List<string>();
        for (var k = 0; k < Scenes; k++)
        {
            var flash = k == 0 ? 0 : flashes[k - 1] / (double)Fps;
            Assert.True(Math.Abs(flash - starts[k]) <= 1.0 / Fps, $"scene {k} shows at {flash:0.###} s, planned at {starts[k]:0.###} s");
            // The narration's first sound: the first sample above a tenth of its peak, in the
            // synthesised audio and in the decoded output alike.
            var u = utterances[k];
            var threshold = 0.1 * u.Samples.Max(s => Math.Abs((int)s));
            var lead = Array.FindIndex(u.Samples, s => Math.Abs((int)s) >= threshold) / (double)u.SampleRate;
            var from = (int)Math.Max(0, (starts[k] - 0.15) * Rate);
            var to = Math.Min(samples.Length, (int)((starts[k] + lead + 0.5) * Rate));
            var onset = Enumerable.Range(from, to - from).FirstOrDefault(i => Math.Abs((int)samples[i]) >= threshold, -1);
            var heard = onset < 0 ? double.NaN : (onset / (double)Rate) - lead;
            if (!(Math.Abs(heard - flash) <= 1.0 / Fps))
            {
                misses.Add($"scene {k}: picture at {flash:0.###} s, narration heard from {heard:0.###} s");
            }
        }
        Assert.True(misses.Count == 0, string.Join("; ", misses));
    }

    // Frame numbers where the picture's upper part (above the captions) changes colour from the frame before.
    private static async Task<List<int>> SceneChangesAsync(string file, int width, int height)
    {
        var rgb = await Tool.RunAsync("ffmpeg", ["-v", "error", "-i", file, "-map", "0:v", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]);
        var frameBytes = width * height * 3;
        var changes = new List<int>();
        (double R, double G, double B)? previous = null;
        for (var f = 0; (f + 1) * frameBytes <= rgb.Length; f++)
        {
            double r = 0, g = 0, b = 0;
            var n = 0;
            for (var y = height / 8; y < height / 2; y += 4)
            {
                for (var x = 4; x < width - 4; x += 8)
                {
                    var i = (f * frameBytes) + (((y * width) + x) * 3);
                    (r, g, b, n) = (r + rgb[i], g + rgb[i + 1], b + rgb[i + 2], n + 1);
                }
            }
            var mean = (r / n, g / n, b / n);
            if (previous is { } p && Math.Abs(mean.Item1 - p.R) + Math.Abs(mean.Item2 - p.G) + Math.Abs(mean.Item3 - p.B) > 120)
            {
                changes.Add(f);
            }
            previous = mean;
        }
        return changes;
    }
}
