using System.Globalization;
using RenderFarm.Contracts.V1;
using RenderFarm.Testing;
using StackExchange.Redis;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>Chunked rendering: one video split over nodes, joined frame-exact with its sound rendered once.</summary>
public abstract partial class FarmSuite
{
    // 3.5 s at 25 fps (88 frames, the last one half a frame): FIXED 1 s chunks cut at frames 25, 50
    // and 75, inside a fade, a keyframed layer's motion, a typewriter text and karaoke captions,
    // with a tone playing across every cut.
    private static object CrossingCanvas(string tone) => new
    {
        width = 320,
        height = 240,
        fps = 25,
        segments = new object[]
        {
            new { color = new { color = "#FF0000" }, duration = 2 },
            new { color = new { color = "#0000FF" }, duration = 2.5, transition = new { kind = "FADE", duration = 1 } },
            new
            {
                color = new { color = "#00FF00" }, start = 0, duration = 3.5,
                layer = new { x = 0, y = 0.6, width = 0.2, height = 0.2, keyframes = new object[] { new { time = 0, x = 0 }, new { time = 3.5, x = 0.8 } } },
            },
            new { text = new { text = "Chunks join", fontSize = 28, animation = "TYPEWRITER", animationDuration = 1.5 }, start = 0.5, duration = 2.5 },
            new
            {
                captions = new
                {
                    source = "EXPLICIT", style = "KARAOKE", fontSize = 20,
                    words = new object[] { new { text = "one", start = 0.6, end = 1.2 }, new { text = "two", start = 1.2, end = 2.3 }, new { text = "three", start = 2.3, end = 3.2 } },
                },
            },
            new { audio = new { src = tone, volume = 0.8 }, start = 0 },
        },
    };

    [Fact]
    public async Task ChunkedRender_MatchesTheSingleRender_FrameForFrame_WithTheSameSound()
    {
        await using var farm = await TestFarm.StartAsync(Server, nodes: 2);
        var tone = await farm.Media.AudioAsync("tone.mp3", 3.5);
        var single = await RenderWithAsync(farm, Rest.Json(new { canvas = CrossingCanvas(tone), output = new { chunking = new { mode = "OFF" } } }));
        var (chunked, events) = await RenderChunkedAsync(farm, Rest.Json(new { canvas = CrossingCanvas(tone), output = new { chunking = new { mode = "FIXED", chunkSeconds = 1 } } }));
        Assert.Contains(events, e => e.Data["production"]!["stage"]!.GetValue<string>() == "rendering in 4 chunks");
        // Progress is the chunks' frames over all frames: it rises before the join and never falls.
        var progress = events.Select(e => e.Data["production"]!["progress"]?.GetValue<double>() ?? 0).ToList();
        Assert.Contains(progress, p => p is > 0 and < 1);
        Assert.Equal(progress.OrderBy(p => p), progress);

        // The words are those a single render lists, though no piece of the join found them.
        var transcripts = (await TranscriptAsync(farm, single), await TranscriptAsync(farm, chunked));
        Assert.Equal(["one", "two", "three"], transcripts.Item1.Select(w => w.Text));
        Assert.Equal(transcripts.Item1, transcripts.Item2);

        var (a, b) = (await DownloadResultAsync(farm, single), await DownloadResultAsync(farm, chunked));
        var (fa, fb) = (await MediaFacts.ProbeAsync(a), await MediaFacts.ProbeAsync(b));
        Assert.Equal((fa.FormatName, fa.VideoCodec, fa.AudioCodec, fa.Width, fa.Height, fa.Fps), (fb.FormatName, fb.VideoCodec, fb.AudioCodec, fb.Width, fb.Height, fb.Fps));
        Assert.Equal(88, await MediaFacts.CountFramesAsync(a));
        Assert.Equal(88, await MediaFacts.CountFramesAsync(b));

        // Every frame shows what the single render shows at that frame (an off-by-one at a cut
        // would show the moving layer and the typing text a frame apart).
        var psnr = await PsnrPerFrameAsync(a, b);
        Assert.Equal(88, psnr.Count);
        foreach (var cut in new[] { 25, 50, 75 })
        {
            for (var n = cut - 2; n <= cut + 1; n++)
            {
                Assert.True(psnr[n] >= 38, $"frame {n} (cut at {cut}) differs from the single render: PSNR {psnr[n]:F1} dB; all: {string.Join(' ', psnr.Select(p => p.ToString("F0", CultureInfo.InvariantCulture)))}");
            }
        }
        Assert.True(psnr.Min() >= 35, $"lowest PSNR {psnr.Min():F1} dB");

        // The sound was rendered once and encoded as the single render encodes it: the same number of
        // samples, each within the rounding of the 16-bit WAV it passed through (seen: 125 of 32767),
        // so nothing is missing, doubled or clicking at a cut.
        var (sa, sb) = (await SamplesAsync(a), await SamplesAsync(b));
        Assert.Equal(sa.Length, sb.Length);
        var worst = Enumerable.Range(0, sa.Length).Max(i => Math.Abs(sa[i] - sb[i]));
        Assert.True(worst <= 512, $"largest sample difference {worst}");
        foreach (var cut in new[] { 1.0, 2.0, 3.0 })
        {
            var at = (int)(cut * 48000) * 2;
            Assert.True(sb.Skip(at - 960).Take(1920).Max(s => Math.Abs((int)s)) > 1000, $"silence at the cut at {cut} s");
        }

        Assert.False(Directory.Exists(Path.Combine(farm.DataDirectory, "objects", "productions", chunked, "parts")), "pieces left after the join");
        await AssertNoPartsAsync(farm, chunked);
    }

    [Fact]
    public async Task ChunkedRender_Webm_JoinsVp9ChunksAndOpusSound_AsASingleRenderHasThem()
    {
        await using var farm = await TestFarm.StartAsync(Server, nodes: 2);
        var tone = await farm.Media.AudioAsync("tone.mp3", 3.5);
        var single = await RenderWithAsync(farm, Rest.Json(new { canvas = CrossingCanvas(tone), output = new { format = "WEBM", chunking = new { mode = "OFF" } } }));
        var (chunked, events) = await RenderChunkedAsync(farm, Rest.Json(new { canvas = CrossingCanvas(tone), output = new { format = "WEBM", chunking = new { mode = "FIXED", chunkSeconds = 1 } } }));
        Assert.Contains(events, e => e.Data["production"]!["stage"]!.GetValue<string>() == "rendering in 4 chunks");

        var (a, b) = (await DownloadResultAsync(farm, single), await DownloadResultAsync(farm, chunked));
        var (fa, fb) = (await MediaFacts.ProbeAsync(a), await MediaFacts.ProbeAsync(b));
        Assert.Equal(("vp9", "opus"), (fb.VideoCodec, fb.AudioCodec));
        Assert.Equal((fa.FormatName, fa.VideoCodec, fa.AudioCodec, fa.Width, fa.Height, fa.Fps), (fb.FormatName, fb.VideoCodec, fb.AudioCodec, fb.Width, fb.Height, fb.Fps));
        Assert.Equal(88, await MediaFacts.CountFramesAsync(b));
        var psnr = await PsnrPerFrameAsync(a, b);
        Assert.Equal(88, psnr.Count);
        Assert.True(psnr.Min() >= 33, $"lowest PSNR {psnr.Min():F1} dB: {string.Join(' ', psnr.Select(p => p.ToString("F0", CultureInfo.InvariantCulture)))}");
        var (sa, sb) = (await SamplesAsync(a), await SamplesAsync(b));
        Assert.InRange(sb.Length, sa.Length - 960, sa.Length + 960);
        await AssertNoPartsAsync(farm, chunked);
    }

    [Fact]
    public async Task ChunkedRender_LostChunk_IsRenderedAgainAlone_AndItsLateResultIsRejected()
    {
        await using var farm = await TestFarm.StartAsync(Server, nodes: 0);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Server.Configuration);
        var assigned = new System.Collections.Concurrent.ConcurrentQueue<(string Part, string Stage)>();
        var channel = new RedisChannel($"{farm.KeyPrefix}events:*~*", RedisChannel.PatternMode.Pattern);
        await redis.GetSubscriber().SubscribeAsync(channel, (ch, message) =>
        {
            var stage = System.Text.Json.Nodes.JsonNode.Parse((string)message!)!["stage"]!.GetValue<string>();
            if (stage.StartsWith("assigned to ", StringComparison.Ordinal))
            {
                assigned.Enqueue((((string)ch!)[(farm.KeyPrefix.Length + "events:".Length)..], stage));
            }
        });

        var lost = await RawNode.ConnectAsync(farm, "lost");
        var id = (await Rest.CreateAsync(farm.Http, Rest.Json(new
        {
            canvas = new { width = 320, height = 240, fps = 25, segments = new object[] { new { color = new { color = "#336699" }, duration = 3 }, new { text = new { text = "lost" }, duration = 3 } } },
            output = new { chunking = new { mode = "FIXED", chunkSeconds = 1 } },
        })))["id"]!.GetValue<string>();
        // The node takes one part and then is gone, as a killed node is.
        var held = await lost.NextAssignmentAsync();
        Assert.StartsWith(id + "~", held.ProductionId);
        await lost.DisposeAsync();

        await farm.Host.StartNodeAsync("worker");
        var events = await Rest.ReadEventsAsync(farm.Http, id);
        Assert.True(events[^1].Data["production"]!["state"]!.GetValue<string>() == "SUCCEEDED", events[^1].Data.ToJsonString());
        Assert.Equal(75, await MediaFacts.CountFramesAsync(await DownloadResultAsync(farm, id)));

        // Only the lost part ran again; every other part (3 chunks, the sound, the join) ran on the
        // worker alone (a loaded machine may still see one of them lapse and rerun on the worker).
        var byPart = assigned.GroupBy(a => a.Part).ToDictionary(g => g.Key, g => g.Select(a => a.Stage).ToList());
        Assert.True(byPart[held.ProductionId] is ["assigned to lost", "assigned to worker", ..], string.Join(", ", byPart[held.ProductionId]));
        Assert.Equal(5, byPart.Count);
        Assert.All(byPart.Where(p => p.Key != held.ProductionId), p => Assert.All(p.Value, stage => Assert.Equal("assigned to worker", stage)));

        // Back from the dead, it reports the part it held: the result is stale.
        await using var late = await RawNode.ConnectAsync(farm, "lost");
        await late.SucceedAsync(held);
        var ack = await late.NextAckAsync();
        Assert.False(ack.Accepted);
        Assert.Equal("SUCCEEDED", (await Rest.GetAsync(farm.Http, id))["state"]!.GetValue<string>());
        await AssertNoPartsAsync(farm, id);
    }

    [Fact]
    public async Task ChunkedRender_Cancelled_StopsEveryChunk_AndLeavesNoPiece()
    {
        await using var farm = await TestFarm.StartAsync(Server, nodes: 2);
        var id = (await Rest.CreateAsync(farm.Http, Rest.Json(new
        {
            canvas = new { width = 640, height = 360, fps = 30, segments = new object[] { new { color = new { color = "#553311" }, duration = 40 }, new { text = new { text = "cancel" }, duration = 40 } } },
            output = new { quality = "HIGH", chunking = new { mode = "FIXED", chunkSeconds = 10 } },
        })))["id"]!.GetValue<string>();
        var pieces = Path.Combine(farm.DataDirectory, "objects", "productions", id, "parts");
        // Wait until a chunk's piece is stored and chunks are rendering.
        await Wait.UntilAsync(() => Task.FromResult(Directory.Exists(pieces) && Directory.EnumerateFiles(pieces, "*", SearchOption.AllDirectories).Any()
            && FfmpegProcesses.CountFor(id) > 0), TimeSpan.FromMinutes(2), "a stored chunk while others render");

        var (status, body) = await Rest.SendAsync(farm.Http, HttpMethod.Post, $"/v1/productions/{id}:cancel");
        Assert.True(status == System.Net.HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal("CANCELLED", body!["state"]!.GetValue<string>());
        await Wait.UntilAsync(() => Task.FromResult(FfmpegProcesses.CountFor(id) == 0), TimeSpan.FromSeconds(30), "every chunk's FFmpeg to stop");
        var folder = Path.Combine(farm.DataDirectory, "objects", "productions", id);
        await Wait.UntilAsync(() => Task.FromResult(!Directory.Exists(folder) || !Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Any()),
            TimeSpan.FromSeconds(30), "every piece to be removed");
        await AssertNoPartsAsync(farm, id);
        Assert.Equal("CANCELLED", (await Rest.GetAsync(farm.Http, id))["state"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"mode":"FIXED","chunkSeconds":0.5}""", "output.chunking.chunkSeconds", "OUT_OF_RANGE")]
    [InlineData("""{"mode":"FIXED"}""", "output.chunking.chunkSeconds", "OUT_OF_RANGE")]
    [InlineData("""{"mode":"AUTO","chunkSeconds":4}""", "output.chunking.chunkSeconds", "UNSUPPORTED_COMBINATION")]
    public async Task Chunking_OutOfRange_IsRefused_NamingTheField(string chunking, string field, string reason) =>
        await AssertRefusedByCreateAndPlanAsync(
            $$$"""{"canvas":{"width":320,"height":240,"segments":[{"color":{"color":"#000000"},"duration":2}]},"output":{"chunking":{{{chunking}}}}}""", field, reason);

    [Fact]
    public async Task Chunking_FixedWithAGif_IsRefused_NamingTheMode() =>
        await AssertRefusedByCreateAndPlanAsync(
            """{"canvas":{"width":320,"height":240,"segments":[{"color":{"color":"#000000"},"duration":2}]},"output":{"format":"GIF","chunking":{"mode":"FIXED","chunkSeconds":1}}}""",
            "output.chunking.mode", "CHUNKING_UNSUPPORTED");

    private static async Task<string> RenderWithAsync(TestFarm farm, string json) => (await RenderChunkedAsync(farm, json)).Id;

    private static async Task<(string Id, List<(long Id, string Type, System.Text.Json.Nodes.JsonNode Data)> Events)> RenderChunkedAsync(TestFarm farm, string json)
    {
        var id = (await Rest.CreateAsync(farm.Http, json))["id"]!.GetValue<string>();
        var events = await Rest.ReadEventsAsync(farm.Http, id, timeout: TimeSpan.FromMinutes(3));
        Assert.True(events[^1].Data["production"]!["state"]!.GetValue<string>() == "SUCCEEDED", events[^1].Data.ToJsonString());
        return (id, events);
    }

    private async Task<string> DownloadResultAsync(TestFarm farm, string id) =>
        await DownloadAsync((await Rest.GetAsync(farm.Http, id))["result"]!["url"]!.GetValue<string>(), farm);

    private static async Task<List<(string Text, double Start, double End)>> TranscriptAsync(TestFarm farm, string id) =>
        [.. ((await Rest.GetAsync(farm.Http, id))["result"]!["transcript"]?.AsArray() ?? []).Select(w =>
            (w!["text"]!.GetValue<string>(), w["start"]?.GetValue<double>() ?? 0, w["end"]?.GetValue<double>() ?? 0))];

    private async Task AssertNoPartsAsync(TestFarm farm, string id)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Server.Configuration);
        await Wait.UntilAsync(async () =>
        {
            var keys = redis.GetServers()[0].KeysAsync(pattern: $"{farm.KeyPrefix}prod:{id}~*");
            return !await keys.AnyAsync();
        }, TimeSpan.FromSeconds(10), "the parts' records to be removed");
    }

    // PSNR (average over planes, dB) of each frame of b against the same frame of a; 100 for identical.
    private static async Task<List<double>> PsnrPerFrameAsync(string a, string b)
    {
        var stats = Path.ChangeExtension(b, ".psnr.txt");
        await Tool.RunAsync("ffmpeg", ["-v", "error", "-i", a, "-i", b, "-lavfi", $"[0:v][1:v]psnr=stats_file={stats}", "-f", "null", "-"]);
        return [.. (await File.ReadAllLinesAsync(stats)).Select(line =>
        {
            var value = line.Split(' ').First(p => p.StartsWith("psnr_avg:", StringComparison.Ordinal))["psnr_avg:".Length..];
            return value == "inf" ? 100 : double.Parse(value, CultureInfo.InvariantCulture);
        })];
    }

    // The sound as 48 kHz stereo 16-bit samples.
    private static async Task<short[]> SamplesAsync(string path)
    {
        var bytes = await Tool.RunAsync("ffmpeg", ["-v", "error", "-i", path, "-map", "0:a", "-f", "s16le", "-ac", "2", "-ar", "48000", "-"]);
        var samples = new short[bytes.Length / 2];
        Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 2);
        return samples;
    }
}
