using System.Net;
using System.Text.Json.Nodes;
using RenderFarm.Contracts.V1;
using RenderFarm.Testing;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>Richer outputs through the farm: stills, poster, captions and transcript files, audio-only formats.</summary>
public abstract partial class FarmSuite
{
    private static object SpokenCanvas() => new
    {
        width = 320,
        height = 240,
        fps = 25,
        segments = new object[]
        {
            new { color = new { color = "#FF0000" }, duration = 1.5 },
            new { color = new { color = "#0000FF" }, duration = 1.5 },
            new { speech = new { text = "Red then blue." }, start = 0.3 },
            new { captions = new { source = "SPEECH", style = "PLAIN", fontSize = 20 } },
        },
    };

    [Fact]
    public async Task Rest_StillsPosterSidecarsAndTranscript_AreInTheResult_WithSignedUrls()
    {
        var json = Rest.Json(new
        {
            canvas = SpokenCanvas(),
            output = new { quality = "DRAFT", stillTimes = new[] { 2.5, 0.5 }, posterTime = 2, sidecars = new[] { "SRT", "VTT", "TRANSCRIPT_JSON" } },
        });
        var id = await RenderAsync(json);
        var result = (await Rest.GetAsync(Farm.Http, id))["result"]!;

        var stills = result["stills"]!.AsArray();
        Assert.Equal([2.5, 0.5], stills.Select(s => s!["time"]!.GetValue<double>()));
        string[] colors = ["#0000FF", "#FF0000"];
        for (var i = 0; i < stills.Count; i++)
        {
            Assert.Equal("image/jpeg", stills[i]!["contentType"]!.GetValue<string>());
            var still = await Frame.AtAsync(await DownloadAsync(stills[i]!["url"]!.GetValue<string>()), 0, 320, 240);
            Assert.True(still.Near(160, 40, colors[i]), $"still {i} pixel was {still.Pixel(160, 40)}");
        }
        var poster = await Frame.AtAsync(await DownloadAsync(result["posterUrl"]!.GetValue<string>()), 0, 320, 240);
        Assert.True(poster.Near(160, 40, "#0000FF"), $"poster pixel was {poster.Pixel(160, 40)}");

        var sidecars = result["sidecars"]!.AsArray();
        Assert.Equal(["SRT", "VTT", "TRANSCRIPT_JSON"], sidecars.Select(s => s!["format"]!.GetValue<string>()));
        Assert.Equal(["application/x-subrip", "text/vtt", "application/json"], sidecars.Select(s => s!["contentType"]!.GetValue<string>()));
        var srt = await DownloadAsync(sidecars[0]!["url"]!.GetValue<string>());
        // ffmpeg's SubRip demuxer reads the captions file: one cue from the first word to the last.
        var cues = System.Text.Encoding.UTF8.GetString(await Tool.RunAsync("ffprobe", ["-v", "error", "-f", "srt", "-show_entries", "packet=pts_time", "-of", "csv=p=0", srt]))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var words = result["transcript"]!.AsArray();
        Assert.Equal(["Red", "then", "blue."], words.Select(w => w!["text"]!.GetValue<string>()));
        Assert.InRange(words[0]!["start"]!.GetValue<double>(), 0.3, 0.5);
        Assert.Equal(words[0]!["start"]!.GetValue<double>(), double.Parse(cues[0], System.Globalization.CultureInfo.InvariantCulture), 3);
        var transcript = JsonNode.Parse(await File.ReadAllTextAsync(await DownloadAsync(sidecars[2]!["url"]!.GetValue<string>())))!;
        Assert.Equal(3, transcript["words"]!.AsArray().Count);

        using var tampered = await Farm.Http.GetAsync(sidecars[1]!["url"]!.GetValue<string>().Replace("captions.vtt", "captions.srt", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
    }

    [Fact]
    public async Task Rest_PngCarousel_IsTheOutput_AndTheUrlIsItsFirstStill()
    {
        var json = Rest.Json(new { canvas = SpokenCanvas(), output = new { format = "PNG", stillTimes = new[] { 0.2, 1.7, 2.9 } } });
        var id = await RenderAsync(json);
        var result = (await Rest.GetAsync(Farm.Http, id))["result"]!;

        Assert.Equal(("image/png", 320, 240), (result["contentType"]!.GetValue<string>(), result["width"]!.GetValue<int>(), result["height"]!.GetValue<int>()));
        var stills = result["stills"]!.AsArray();
        Assert.Equal(3, stills.Count);
        var first = await File.ReadAllBytesAsync(await DownloadAsync(result["url"]!.GetValue<string>()));
        Assert.Equal(first, await File.ReadAllBytesAsync(await DownloadAsync(stills[0]!["url"]!.GetValue<string>())));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], first[..4]);
        var last = await Frame.AtAsync(await DownloadAsync(stills[2]!["url"]!.GetValue<string>()), 0, 320, 240);
        Assert.True(last.Near(160, 40, "#0000FF", tolerance: 8), $"last still pixel was {last.Pixel(160, 40)}");
    }

    [Fact]
    public async Task Grpc_Mp3_HoldsOnlyAudio_OfTheCanvasDuration()
    {
        var client = new ProductionService.ProductionServiceClient(Farm.Grpc);
        var request = new CreateProductionRequest
        {
            Canvas = new Canvas
            {
                Width = 160,
                Height = 120,
                Segments =
                {
                    new Segment { Color = new ColorClip { Color = "#AA0000" }, Duration = 2 },
                    new Segment { Speech = new Speech { Text = "Audio only" }, Start = 0.2 },
                },
            },
            Output = new OutputSpec { Format = OutputSpec.Types.Format.Mp3, Sidecars = { OutputSpec.Types.Sidecar.Vtt } },
        };
        var created = await client.CreateProductionAsync(request);
        Assert.Equal(OutputSpec.Types.VideoCodec.Unspecified, created.Output.VideoCodec);
        var events = await Rest.ReadEventsAsync(Farm.Http, created.Id);
        Assert.Equal("SUCCEEDED", events[^1].Data["production"]!["state"]!.GetValue<string>());

        var production = await client.GetProductionAsync(new GetProductionRequest { Id = created.Id });
        Assert.Equal(("audio/mpeg", 0, 0), (production.Result.ContentType, production.Result.Width, production.Result.Height));
        Assert.Equal(["Audio", "only"], production.Result.Transcript.Select(w => w.Text));
        Assert.Equal(OutputSpec.Types.Sidecar.Vtt, Assert.Single(production.Result.Sidecars).Format);
        var facts = await MediaFacts.ProbeAsync(await DownloadAsync(production.Result.Url));
        Assert.Equal((null, "mp3", "mp3"), (facts.VideoCodec, facts.AudioCodec, facts.FormatName));
        Assert.InRange(facts.Duration, 2 - 0.06, 2 + 0.06);
        Assert.StartsWith("WEBVTT", await File.ReadAllTextAsync(await DownloadAsync(production.Result.Sidecars[0].Url)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"stillTimes\": [1, 9]}", "output.stillTimes[1]", "STILL_TIME_OUT_OF_RANGE")]
    [InlineData("{\"posterTime\": 3.5}", "output.posterTime", "STILL_TIME_OUT_OF_RANGE")]
    [InlineData("{\"format\": \"MP3\", \"stillTimes\": [1]}", "output.stillTimes", "OUTPUT_FORMAT_MISMATCH")]
    [InlineData("{\"format\": \"JPEG\"}", "output.stillTimes", "FIELD_REQUIRED")]
    [InlineData("{\"stillTimes\": [0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}", "output.stillTimes", "TOO_MANY_STILLS")]
    [InlineData("{\"sidecars\": [\"SRT\", \"SRT\"]}", "output.sidecars[1]", "DUPLICATE_VALUE")]
    [InlineData("{\"sidecars\": [\"DOCX\"]}", "output.sidecars[0]", "INVALID_ENUM")]
    public async Task Rest_BadOutputs_AreInvalidArgument_NamingTheField(string output, string field, string reason)
    {
        var json = $"{{\"canvas\": {Rest.Json(SpokenCanvas())}, \"output\": {output}}}";
        await AssertRefusedByCreateAndPlanAsync(json, field, reason);
    }

    [Fact]
    public async Task Plan_WarnsOfAStillClampedToTheLastFrame()
    {
        var plan = await PostOkAsync("/v1/plans", Rest.Json(new { canvas = SpokenCanvas(), output = new { stillTimes = new[] { 1, 3.0 } }, skipPreviews = true }));
        var warnings = plan["warnings"]!.AsArray().Select(w => (w!["code"]!.GetValue<string>(), w["path"]!.GetValue<string>())).ToList();
        Assert.Contains(("STILL_TIME_CLAMPED", "output.stillTimes[1]"), warnings);
        Assert.DoesNotContain(warnings, w => w.Item2 == "output.stillTimes[0]");
    }

    private async Task<string> RenderAsync(string json)
    {
        var id = (await Rest.CreateAsync(Farm.Http, json))["id"]!.GetValue<string>();
        var events = await Rest.ReadEventsAsync(Farm.Http, id);
        Assert.True("SUCCEEDED" == events[^1].Data["production"]!["state"]!.GetValue<string>(), events[^1].Data.ToJsonString());
        return id;
    }

    /// <summary>Both CreateProduction and CreatePlan refuse the body with 400, naming the field and its reason.</summary>
    private async Task AssertRefusedByCreateAndPlanAsync(string json, string field, string reason)
    {
        foreach (var path in new[] { "/v1/productions", "/v1/plans" })
        {
            var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, path, json);
            Assert.True(status == HttpStatusCode.BadRequest, $"{path} answered {status}: {body}");
            Assert.Contains(body!["details"]!.AsArray(), d => d!["fieldViolations"]?.AsArray()
                .Any(v => v!["field"]!.GetValue<string>() == field && v["reason"]?.GetValue<string>() == reason) == true);
        }
    }
}
