using System.Net;
using System.Text.Json.Nodes;
using Grpc.Core;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Testing;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>Renditions through the farm: one production, one file per frame, each with a signed URL.</summary>
public abstract partial class FarmSuite
{
    // A 16:9 canvas: blue with a red block on its right fifth as base media, a green-boxed text at
    // the bottom right, a tone under it.
    private async Task<object> SubjectCanvasAsync()
    {
        await Tool.RunAsync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "color=c=blue:size=400x200,drawbox=x=320:y=0:w=80:h=200:color=red:t=fill",
            "-frames:v", "1", Path.Combine(Farm.Media.Root, "subject-right.png")]);
        var music = await Farm.Media.AudioAsync("rendition-tone.mp3", 2);
        return new
        {
            width = 320,
            height = 180,
            fps = 25,
            segments = new object[]
            {
                new { image = new { src = Farm.Media.Url("subject-right.png") }, duration = 1 },
                new { text = new { text = "Tag", position = "BOTTOM_RIGHT", fontSize = 28, backgroundColor = "#00FF00" }, start = 0, duration = 1 },
                new { audio = new { src = music } },
            },
        };
    }

    private static readonly object[] ThreeRenditions =
    [
        new { name = "wide", width = 320, height = 180 },
        new { name = "tall", width = 180, height = 320, focus = new { x = 0.9 } },
        new { name = "square", width = 240, height = 240 },
    ];

    [Fact]
    public async Task Rest_ThreeRenditions_AreThreeFilesOfTheirSizes_AndFocusKeepsTheSubjectInView()
    {
        var id = await RenderAsync(Rest.Json(new { canvas = await SubjectCanvasAsync(), output = new { quality = "HIGH" }, renditions = ThreeRenditions }));
        var production = await Rest.GetAsync(Farm.Http, id);
        Assert.Equal(["wide", "tall", "square"], production["renditions"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));

        var renditions = production["result"]!["renditions"]!.AsArray();
        Assert.Equal(["wide", "tall", "square"], renditions.Select(r => r!["name"]!.GetValue<string>()));
        (int W, int H)[] sizes = [(320, 180), (180, 320), (240, 240)];
        var files = new List<string>();
        for (var i = 0; i < sizes.Length; i++)
        {
            var r = renditions[i]!;
            Assert.Equal(sizes[i], (r["width"]!.GetValue<int>(), r["height"]!.GetValue<int>()));
            Assert.Equal("video/mp4", r["contentType"]!.GetValue<string>());
            var file = await DownloadAsync(r["url"]!.GetValue<string>());
            Assert.Equal(new FileInfo(file).Length, long.Parse(r["sizeBytes"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
            var facts = await MediaFacts.ProbeAsync(file);
            Assert.Equal((sizes[i].W, sizes[i].H, "h264", "aac"), (facts.Width, facts.Height, facts.VideoCodec, facts.AudioCodec));
            Assert.Equal(25, await MediaFacts.CountFramesAsync(file));
            Assert.InRange(r["duration"]!.GetValue<double>(), 0.95, 1.05);
            files.Add(file);
        }

        // The focus on the red block keeps it in the 9:16 crop; the centred square crop is all blue.
        var tall = await Frame.AtAsync(files[1], 0.5, 180, 320);
        Assert.True(tall.Near(160, 40, "#FF0000"), $"tall pixel was {tall.Pixel(160, 40)}");
        var square = await Frame.AtAsync(files[2], 0.5, 240, 240);
        Assert.True(square.Near(230, 40, "#0000FF"), $"square pixel was {square.Pixel(230, 40)}");
        // The text's box sits in each frame's bottom-right corner, inside it.
        foreach (var (file, (w, h)) in files.Zip(sizes))
        {
            var frame = await Frame.AtAsync(file, 0.5, w, h);
            Assert.True(frame.Near(w - 12, h - 8, "#00FF00", tolerance: 40), $"{w}x{h}: corner pixel was {frame.Pixel(w - 12, h - 8)}");
        }
    }

    [Fact]
    public async Task Grpc_RenderPlan_WithRenditions_ReturnsEachInTheResult()
    {
        var plans = new PlanService.PlanServiceClient(Farm.Grpc);
        var plan = await plans.CreatePlanAsync(new CreatePlanRequest
        {
            Canvas = new Canvas { Width = 160, Height = 90, Fps = 25, Segments = { new Segment { Color = new ColorClip { Color = "#AA0000" }, Duration = 1 } } },
            SkipPreviews = true,
        });
        var created = await plans.RenderPlanAsync(new RenderPlanRequest
        {
            Id = plan.Id,
            Renditions =
            {
                new Rendition { Name = "square", Width = 90, Height = 90 },
                new Rendition { Name = "story", Preset = Rendition.Types.Preset.Portrait720, Output = new OutputSpec { Format = OutputSpec.Types.Format.Webm, Quality = OutputSpec.Types.Quality.Draft } },
            },
        });
        var events = await Rest.ReadEventsAsync(Farm.Http, created.Id);
        Assert.Equal("SUCCEEDED", events[^1].Data["production"]!["state"]!.GetValue<string>());

        var done = await new ProductionService.ProductionServiceClient(Farm.Grpc).GetProductionAsync(new GetProductionRequest { Id = created.Id });
        Assert.Equal([("square", 90, 90, "video/mp4"), ("story", 720, 1280, "video/webm")],
            done.Result.Renditions.Select(r => (r.Name, r.Width, r.Height, r.ContentType)));
        var story = await MediaFacts.ProbeAsync(await DownloadAsync(done.Result.Renditions[1].Url));
        Assert.Equal((720, 1280, "vp9"), (story.Width, story.Height, story.VideoCodec));
        var pixel = await Frame.AtAsync(await DownloadAsync(done.Result.Renditions[0].Url), 0.5, 90, 90);
        Assert.True(pixel.Near(45, 45, "#AA0000"), $"square pixel was {pixel.Pixel(45, 45)}");
    }

    [Fact]
    public async Task Rest_Plan_WithRenditions_WarnsOfAHeavyCrop_AndRenderPlanRendersThem()
    {
        var plan = await PostOkAsync("/v1/plans", Rest.Json(new
        {
            canvas = await SubjectCanvasAsync(),
            skipPreviews = true,
            renditions = new object[] { new { name = "tall", preset = "PORTRAIT_720" }, new { name = "boxed", preset = "SQUARE_720", fit = "CONTAIN", focus = new { x = 0.2 } } },
        }));
        var warnings = plan["warnings"]!.AsArray().Select(w => (w!["code"]!.GetValue<string>(), w["path"]!.GetValue<string>())).ToList();
        Assert.Contains(("RENDITION_HEAVY_CROP", "renditions[0]"), warnings);
        Assert.Contains(("RENDITION_FOCUS_IGNORED", "renditions[1].focus"), warnings);
        Assert.Equal(["tall", "boxed"], plan["renditions"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));

        var production = await PostOkAsync($"/v1/plans/{plan["id"]!.GetValue<string>()}:render", "{}");
        Assert.Equal(["tall", "boxed"], production["renditions"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
        var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/plans",
            Rest.Json(new { canvas = await SubjectCanvasAsync(), skipPreviews = true, renditions = new object[] { new { name = "x", width = 100, height = 99 } } }));
        Assert.True(status == HttpStatusCode.BadRequest && body!.ToJsonString().Contains("renditions[0].height", StringComparison.Ordinal), $"{status}: {body}");
    }

    [Fact]
    public async Task Rest_Plan_CountsEachRenditionsEncode_AndFingerprintsTheRenditions()
    {
        var canvas = new { width = 160, height = 90, fps = 25, segments = new object[] { new { color = new { color = "#AA0000" }, duration = 2 } } };
        // "same" is the main output's own frame and encoding: its file, no encode of its own.
        var renditions = new object[] { new { name = "same", width = 160, height = 90 }, new { name = "tall", width = 90, height = 160 }, new { name = "square", width = 90, height = 90 } };
        var bare = await PostOkAsync("/v1/plans", Rest.Json(new { canvas, skipPreviews = true }));
        var plan = await PostOkAsync("/v1/plans", Rest.Json(new { canvas, skipPreviews = true, renditions }));

        static double Units(JsonNode plan, string field) => plan["estimate"]![field]?.GetValue<double>() ?? 0;
        static double FrameUnits(int w, int h) => 2 * (w * h * 25.0) / (1920 * 1080 * 30);
        Assert.Equal(0, Units(bare, "renditionCostUnits"));
        Assert.Equal(FrameUnits(160, 90), Units(bare, "costUnits"), 9);
        Assert.Equal(FrameUnits(90, 160) + FrameUnits(90, 90), Units(plan, "renditionCostUnits"), 9);
        Assert.Equal(Units(bare, "costUnits") + Units(plan, "renditionCostUnits"), Units(plan, "costUnits"), 9);
        Assert.Equal(Units(plan, "costUnits") * Units(plan, "secondsPerUnit"), Units(plan, "renderSeconds"), 6);

        // The renditions are part of what is rendered: the plan's fingerprint is not the bare canvas's,
        // and rendering other renditions than the plan's with the plan's fingerprint is refused.
        var fingerprint = plan["fingerprint"]!.GetValue<string>();
        Assert.NotEqual(bare["fingerprint"]!.GetValue<string>(), fingerprint);
        var id = plan["id"]!.GetValue<string>();
        var other = new object[] { new { name = "square", width = 90, height = 90 } };
        var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, $"/v1/plans/{id}:render", Rest.Json(new { fingerprint, renditions = other }));
        Assert.True(status == HttpStatusCode.BadRequest, $"{status}: {body}");
        var info = body!["details"]!.AsArray().Single(d => d!["reason"]?.GetValue<string>() == "PLAN_FINGERPRINT_MISMATCH")!;
        // The refusal names the fingerprint of the plan with those renditions: a plan made with them has it too.
        var withOther = info["metadata"]!["fingerprint"]!.GetValue<string>();
        Assert.Equal((await PostOkAsync("/v1/plans", Rest.Json(new { canvas, skipPreviews = true, renditions = other })))["fingerprint"]!.GetValue<string>(), withOther);

        var rendered = await PostOkAsync($"/v1/plans/{id}:render", Rest.Json(new { fingerprint = withOther, renditions = other }));
        Assert.Equal((withOther, "square"), (rendered["labels"]!["renderfarm.dev/fingerprint"]!.GetValue<string>(), rendered["renditions"]!.AsArray().Single()!["name"]!.GetValue<string>()));
        var planned = await PostOkAsync($"/v1/plans/{id}:render", Rest.Json(new { fingerprint }));
        Assert.Equal(fingerprint, planned["labels"]!["renderfarm.dev/fingerprint"]!.GetValue<string>());
        foreach (var production in new[] { rendered, planned })
        {
            await Rest.SendAsync(Farm.Http, HttpMethod.Delete, $"/v1/productions/{production["id"]!.GetValue<string>()}");
        }
    }

    [Fact]
    public async Task Rest_TemplatePlan_TakesRenditions_LikeTemplateRender()
    {
        var id = (await SendOkAsync(Farm.Http, HttpMethod.Post, "/v1/templates", TitleCard()))["id"]!.GetValue<string>();
        var plan = await SendOkAsync(Farm.Http, HttpMethod.Post, $"/v1/templates/{id}:plan",
            Rest.Json(new { merge = new { TITLE = "x" }, skipPreviews = true, renditions = new object[] { new { name = "square", width = 120, height = 120 } } }));
        Assert.Equal("square", plan["renditions"]!.AsArray().Single()!["name"]!.GetValue<string>());
        Assert.True(plan["estimate"]!["renditionCostUnits"]!.GetValue<double>() > 0, $"estimate: {plan["estimate"]}");

        var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, $"/v1/templates/{id}:plan",
            Rest.Json(new { merge = new { TITLE = "x" }, skipPreviews = true, renditions = new object[] { new { name = "tall", width = 90, height = 161 } } }));
        Assert.True(status == HttpStatusCode.BadRequest, $"{status}: {body}");
        Assert.Contains(body!["details"]!.AsArray(), d => d!["fieldViolations"]?.AsArray()
            .Any(v => v!["field"]!.GetValue<string>() == "renditions[0].height" && v["reason"]?.GetValue<string>() == "INVALID_RENDITION_SIZE") == true);
    }

    [Fact]
    public async Task Grpc_BadRenditions_AreInvalidArgument_NamingTheField()
    {
        var client = new ProductionService.ProductionServiceClient(Farm.Grpc);
        var canvas = new Canvas { Width = 160, Height = 90, Segments = { new Segment { Color = new ColorClip { Color = "#AA0000" }, Duration = 1 } } };
        var cases = new (Rendition[] Renditions, string Field, string Reason)[]
        {
            ([new() { Name = "a", Preset = Rendition.Types.Preset.Square720 }, new() { Name = "a", Preset = Rendition.Types.Preset.Square1080 }], "renditions[1].name", ErrorReasons.DuplicateValue),
            ([new() { Name = "a", Preset = Rendition.Types.Preset.Square720, Focus = new Focus { X = 1.5 } }], "renditions[0].focus.x", ErrorReasons.OutOfRange),
            ([new() { Name = "a", Width = 641, Height = 480 }], "renditions[0].width", ErrorReasons.InvalidRenditionSize),
            ([.. Enumerable.Range(0, 9).Select(i => new Rendition { Name = $"r{i}", Preset = Rendition.Types.Preset.Square720 })], "renditions", ErrorReasons.TooManyRenditions),
        };
        foreach (var (renditions, field, reason) in cases)
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => client.CreateProductionAsync(new CreateProductionRequest { Canvas = canvas, Renditions = { renditions } }).ResponseAsync);
            var violation = e.GetBadRequest()!.FieldViolations.Single();
            Assert.Equal((StatusCode.InvalidArgument, field, reason), (e.StatusCode, violation.Field, violation.Reason));
        }
    }

    [Fact]
    public async Task Rest_TemplateRender_ChecksItsRenditions()
    {
        var id = (await SendOkAsync(Farm.Http, HttpMethod.Post, "/v1/templates", TitleCard()))["id"]!.GetValue<string>();
        var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, $"/v1/templates/{id}:render",
            Rest.Json(new { merge = new { TITLE = "x" }, renditions = new object[] { new { name = "tall", width = 90, height = 161 } } }));

        Assert.True(status == HttpStatusCode.BadRequest, $"{status}: {body}");
        Assert.Contains(body!["details"]!.AsArray(), d => d!["fieldViolations"]?.AsArray()
            .Any(v => v!["field"]!.GetValue<string>() == "renditions[0].height" && v["reason"]?.GetValue<string>() == "INVALID_RENDITION_SIZE") == true);
        var production = await SendOkAsync(Farm.Http, HttpMethod.Post, $"/v1/templates/{id}:render",
            Rest.Json(new { merge = new { TITLE = "x" }, renditions = new object[] { new { name = "square", preset = "SQUARE_720" } } }));
        Assert.Equal("SQUARE_720", production["renditions"]![0]!["preset"]!.GetValue<string>());
    }
}
