using System.Net;
using System.Text.Json.Nodes;
using RenderFarm.Testing;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>The plan → render loop over REST, with previews rendered by the farm's node.</summary>
public abstract partial class FarmSuite
{
    private static object PlanCanvas(double transition = 0.5, string second = "#0000FF") => new
    {
        width = 320,
        height = 240,
        fps = 25,
        segments = new object[]
        {
            new { color = new { color = "#FF0000" }, duration = 1 },
            new { color = new { color = second }, duration = 1, transition = new { kind = "FADE", duration = transition } },
            new { text = new { text = "Hi", position = "TOP", fontSize = 24, color = "#FFFFFF" }, start = 0.5, duration = 5 },
        },
    };

    [Fact]
    public async Task CreatePlan_ResolvesTiming_WarnsWithPaths_Estimates_AndFingerprints()
    {
        var body = Rest.Json(new { canvas = PlanCanvas(transition: 3), skipPreviews = true });
        var plan = await PostOkAsync("/v1/plans", body);

        var segments = plan["canvas"]!["segments"]!.AsArray();
        Assert.All(segments, s => Assert.NotNull(s!["start"]));
        Assert.All(segments, s => Assert.NotNull(s!["duration"]));
        // The 3 s fade is clamped to the 1 s the segments have; the overlay is cut at the end.
        Assert.Equal(1, segments[1]!["transition"]!["duration"]!.GetValue<double>(), 6);
        Assert.Equal(0, segments[1]!["start"]!.GetValue<double>(), 6);
        Assert.Equal(0.5, segments[2]!["start"]!.GetValue<double>(), 6);
        Assert.Equal(0.5, segments[2]!["duration"]!.GetValue<double>(), 6);
        var warnings = plan["warnings"]!.AsArray().Select(w => (w!["code"]!.GetValue<string>(), w["path"]!.GetValue<string>())).ToList();
        Assert.Contains(("TRANSITION_CLAMPED", "canvas.segments[1].transition.duration"), warnings);
        Assert.Contains(("OVERLAY_PAST_END", "canvas.segments[2]"), warnings);

        var estimate = plan["estimate"]!;
        var duration = estimate["duration"]!.GetValue<double>();
        Assert.Equal(1, duration, 6);
        Assert.Equal((long)Math.Round(duration * 25), long.Parse(estimate["frames"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(estimate["costUnits"]!.GetValue<double>() > 0);
        Assert.Equal(estimate["costUnits"]!.GetValue<double>() * estimate["secondsPerUnit"]!.GetValue<double>(), estimate["renderSeconds"]!.GetValue<double>(), 6);
        Assert.Equal("SKIPPED", plan["preview"]!["state"]!.GetValue<string>());
        Assert.StartsWith("plans/", plan["name"]!.GetValue<string>());

        var again = await PostOkAsync("/v1/plans", body);
        var changed = await PostOkAsync("/v1/plans", Rest.Json(new { canvas = PlanCanvas(transition: 3, second: "#0000FE"), skipPreviews = true }));
        Assert.NotEqual(plan["id"]!.GetValue<string>(), again["id"]!.GetValue<string>());
        Assert.Equal(plan["fingerprint"]!.GetValue<string>(), again["fingerprint"]!.GetValue<string>());
        Assert.NotEqual(plan["fingerprint"]!.GetValue<string>(), changed["fingerprint"]!.GetValue<string>());
        Assert.Matches("^sha256:[0-9a-f]{64}$", plan["fingerprint"]!.GetValue<string>());
    }

    [Fact]
    public async Task Plan_PreviewStillsMatchCanvas_RenderPlanSucceeds_AndCalibrationMoves()
    {
        var canvas = new
        {
            width = 320,
            height = 240,
            fps = 25,
            segments = new object[]
            {
                new { color = new { color = "#FF0000" }, duration = 1 },
                new { color = new { color = "#0000FF" }, duration = 1 },
            },
        };
        var plan = await PostOkAsync("/v1/plans", Rest.Json(new { canvas, previewTimes = new[] { 0.5, 1.5 } }));
        var id = plan["id"]!.GetValue<string>();
        var samplesBefore = long.Parse(plan["estimate"]!["calibrationSamples"]?.GetValue<string>() ?? "0", System.Globalization.CultureInfo.InvariantCulture);

        var ready = await Wait.ForAsync(async () =>
        {
            var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Get, $"/v1/plans/{id}");
            Assert.Equal(HttpStatusCode.OK, status);
            var state = body!["preview"]!["state"]!.GetValue<string>();
            Assert.NotEqual("FAILED", state);
            return state == "READY" ? body : null;
        }, TimeSpan.FromMinutes(2), "preview stills");
        var frames = ready["preview"]!["frames"]!.AsArray();
        Assert.Equal(2, frames.Count);
        foreach (var (frame, color) in frames.Zip(new[] { "#FF0000", "#0000FF" }))
        {
            using var response = await Farm.Http.GetAsync(frame!["url"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.True(bytes is [0xFF, 0xD8, ..], "a JPEG");
            var path = Path.Combine(Farm.DataDirectory, $"still-{Guid.NewGuid():N}.jpg");
            await File.WriteAllBytesAsync(path, bytes);
            var still = await Frame.AtAsync(path, 0, 320, 240);
            Assert.True(still.Near(160, 120, color), $"still at {frame["time"]} was {still.Pixel(160, 120)}, want {color}");
        }

        var production = await PostOkAsync($"/v1/plans/{id}:render", Rest.Json(new { fingerprint = plan["fingerprint"]!.GetValue<string>(), displayName = "from-plan" }));
        Assert.Equal(id, production["labels"]!["renderfarm.dev/plan"]!.GetValue<string>());
        var events = await Rest.ReadEventsAsync(Farm.Http, production["id"]!.GetValue<string>());
        var final = events[^1].Data["production"]!;
        Assert.Equal("SUCCEEDED", final["state"]!.GetValue<string>());
        Assert.StartsWith("http", final["result"]!["url"]!.GetValue<string>());

        var after = await PostOkAsync("/v1/plans", Rest.Json(new { canvas, skipPreviews = true }));
        var samplesAfter = long.Parse(after["estimate"]!["calibrationSamples"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(samplesAfter > samplesBefore, $"calibration samples {samplesBefore} → {samplesAfter}");
        Assert.True(after["estimate"]!["secondsPerUnit"]!.GetValue<double>() > 0);
    }

    [Fact]
    public async Task PlanPreview_IsAssignedAsStills_ByItsJobKind_AndIsNoProductionOfTheCaller()
    {
        await using var farm = await TestFarm.StartAsync(Server, nodes: 0);
        await using var node = await RawNode.ConnectAsync(farm, "previewer");
        var (status, plan) = await Rest.SendAsync(farm.Http, HttpMethod.Post, "/v1/plans", Rest.Json(new { canvas = PlanCanvas(), previewTimes = new[] { 0.25, 1.0 } }));
        Assert.Equal(HttpStatusCode.OK, status);

        var assignment = await node.NextAssignmentAsync();
        // The times the plan chose (snapped to frames), carried by the job's kind, not by a label.
        Assert.Equal(plan!["preview"]!["frames"]!.AsArray().Select(f => f!["time"]!.GetValue<double>()), assignment.Preview.Times);
        Assert.Equal(2, assignment.Preview.UploadUrls.Count);
        Assert.All(assignment.Preview.ObjectKeys, k => Assert.StartsWith($"productions/{assignment.ProductionId}/1/preview-", k, StringComparison.Ordinal));
        Assert.Equal(("", ""), (assignment.ObjectKey, assignment.UploadUrl));

        var (listed, list) = await Rest.SendAsync(farm.Http, HttpMethod.Get, "/v1/productions?pageSize=100");
        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.Empty(list!["productions"]?.AsArray() ?? []);
        Assert.Equal(HttpStatusCode.NotFound, (await Rest.SendAsync(farm.Http, HttpMethod.Get, $"/v1/productions/{assignment.ProductionId}")).Status);
        Assert.Equal("PENDING", (await Rest.SendAsync(farm.Http, HttpMethod.Get, $"/v1/plans/{plan["id"]!.GetValue<string>()}")).Body!["preview"]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReservedLabels_AreRefused_OnCreateProductionAndRenderPlan()
    {
        var canvas = new { width = 160, height = 120, segments = new object[] { new { color = new { color = "#101010" }, duration = 1 } } };
        var labels = new Dictionary<string, string> { ["renderfarm.dev/preview"] = "0.5" };
        var plan = await PostOkAsync("/v1/plans", Rest.Json(new { canvas, skipPreviews = true }));
        foreach (var (path, json) in new[] { ("/v1/productions", Rest.Json(new { canvas, labels })), ($"/v1/plans/{plan["id"]!.GetValue<string>()}:render", Rest.Json(new { labels })) })
        {
            var (status, error) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, path, json);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains(error!["details"]!.AsArray(), d => d!["reason"]?.GetValue<string>() == "RESERVED_LABEL");
            Assert.StartsWith("labels[renderfarm.dev/preview]", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RenderPlan_EditedCanvas_IsRevalidated_AndFingerprintIsChecked()
    {
        var plan = await PostOkAsync("/v1/plans", Rest.Json(new { canvas = PlanCanvas(), skipPreviews = true }));
        var id = plan["id"]!.GetValue<string>();

        var bad = new { canvas = new { width = 320, height = 240, segments = new object[] { new { color = new { color = "#FF0000" }, duration = -1 } } } };
        var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, $"/v1/plans/{id}:render", Rest.Json(bad));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(body!["details"]!.AsArray(), d => d!["fieldViolations"]?.AsArray().Any(v => v!["field"]!.GetValue<string>() == "canvas.segments[0].duration") == true);

        (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, $"/v1/plans/{id}:render", Rest.Json(new { fingerprint = "sha256:00" }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(body!["details"]!.AsArray(), d => d!["reason"]?.GetValue<string>() == "PLAN_FINGERPRINT_MISMATCH");

        (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/plans/0123abc:render", "{}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains(body!["details"]!.AsArray(), d => d!["reason"]?.GetValue<string>() == "PLAN_NOT_FOUND");

        // A valid edit renders the edited canvas, fingerprinted anew.
        var edited = await PostOkAsync($"/v1/plans/{id}:render", Rest.Json(new { canvas = PlanCanvas(second: "#00FF00"), labels = new Dictionary<string, string> { ["team"] = "a" } }));
        Assert.NotEqual(plan["fingerprint"]!.GetValue<string>(), edited["labels"]!["renderfarm.dev/fingerprint"]!.GetValue<string>());
        await Rest.SendAsync(Farm.Http, HttpMethod.Delete, $"/v1/productions/{edited["id"]!.GetValue<string>()}");
    }

    [Fact]
    public async Task Sse_ProgressIsThrottled_AndTheFinalEventCarriesAFreshResultUrl()
    {
        var json = Rest.Json(new
        {
            canvas = new { width = 640, height = 360, fps = 30, segments = new object[] { new { color = new { color = "#336699" }, duration = 6 } } },
            output = new { quality = "HIGH" },
        });
        var id = (await Rest.CreateAsync(Farm.Http, json))["id"]!.GetValue<string>();
        var events = await Rest.ReadEventsAsync(Farm.Http, id);
        var final = events[^1];
        Assert.Equal("SUCCEEDED", final.Data["production"]!["state"]!.GetValue<string>());
        Assert.StartsWith("http", final.Data["production"]!["result"]!["url"]!.GetValue<string>());

        // At most 2 progress events per second (the farm's setting), judged by the events' own times.
        var progress = events.Where(e => e.Type == "progress").Select(e => DateTimeOffset.Parse(e.Data["time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(progress.Zip(progress.Skip(1)), p => Assert.True(p.Second - p.First >= TimeSpan.FromMilliseconds(500), $"progress events {p.First:O} and {p.Second:O}"));
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(Server.Configuration);
        var recorded = await redis.GetDatabase().ListRangeAsync($"{Farm.KeyPrefix}events:{id}");
        var recordedProgress = recorded.Count(r => ((string)r!).Contains("\"type\":\"progress\"", StringComparison.Ordinal));
        Assert.True(progress.Count <= recordedProgress, $"{progress.Count} sent of {recordedProgress} recorded");
    }

    private async Task<JsonNode> PostOkAsync(string path, string json)
    {
        var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, path, json);
        Assert.True(status == HttpStatusCode.OK, $"{path} answered {status}: {body}");
        return body!;
    }
}
