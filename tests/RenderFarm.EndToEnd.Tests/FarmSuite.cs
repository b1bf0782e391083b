using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Grpc.Core;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Testing;
using StackExchange.Redis;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>
/// The end-to-end suite: a user's view of the farm over real HTTP and gRPC, real FFmpeg and real
/// files. Each derived class runs it on one Redis-compatible server (Garnet, redis-server).
/// </summary>
public abstract partial class FarmSuite(FarmFixture fixture)
{
    protected TestFarm Farm => fixture.Farm;
    protected RedisServer Server => fixture.Server;

    [Fact]
    public async Task Rest_CreateWatchSseDownload_OutputMatchesCanvas()
    {
        var video = await Farm.Media.VideoAsync("clip.mp4", 3);
        var image = await Farm.Media.ImageAsync("still.png", "#22AA44", 160, 320);
        var music = await Farm.Media.AudioAsync("music.mp3", 5);
        var json = Rest.Json(new
        {
            canvas = new
            {
                width = 320,
                height = 240,
                fps = 25,
                backgroundColor = "#000000",
                segments = new object[]
                {
                    new { color = new { color = "#1E3A8A" }, duration = 1 },
                    new { image = new { src = image, fit = "COVER" }, duration = 1 },
                    new { video = new { src = video, trimStart = 0.5, volume = 0.8 }, duration = 1 },
                    new { text = new { text = "Hello: \"farm\" 100%", position = "TOP", fontSize = 24, color = "#FFFFFF" }, start = 0.2, duration = 1.5 },
                    new { shape = new { kind = "RECTANGLE", x = 0, y = 0.85, width = 1, height = 0.15, color = "#FF0000" }, start = 0, duration = 3 },
                    new { audio = new { src = music, volume = 0.3, fadeOut = 0.5 }, start = 0 },
                },
            },
            output = new { format = "MP4", videoCodec = "H264", quality = "DRAFT" },
            displayName = "rest-e2e",
        });

        var created = await Rest.CreateAsync(Farm.Http, json);
        var id = created["id"]!.GetValue<string>();
        // A free node may have leased it before the response was written.
        Assert.Contains(created["state"]!.GetValue<string>(), new[] { "QUEUED", "RUNNING" });
        Assert.Equal($"productions/{id}", created["name"]!.GetValue<string>());

        var events = await Rest.ReadEventsAsync(Farm.Http, id);
        Assert.Equal("SUCCEEDED", events[^1].Data["production"]!["state"]!.GetValue<string>());
        Assert.True(events.Select(e => e.Id).SequenceEqual(events.Select(e => e.Id).Order()), "event ids increase");
        Assert.Contains(events, e => e.Data["production"]!["state"]!.GetValue<string>() == "RUNNING");

        var production = await Rest.GetAsync(Farm.Http, id);
        var result = production["result"]!;
        Assert.Equal("video/mp4", result["contentType"]!.GetValue<string>());
        var file = await DownloadAsync(result["url"]!.GetValue<string>());

        var facts = await MediaFacts.ProbeAsync(file);
        Assert.InRange(facts.Duration, 3 - 1.0 / 25, 3 + 1.0 / 25);
        Assert.Equal((320, 240), (facts.Width, facts.Height));
        Assert.Equal(25, facts.Fps, 3);
        Assert.Equal("h264", facts.VideoCodec);
        Assert.Equal("aac", facts.AudioCodec);
        Assert.InRange(result["duration"]!.GetValue<double>(), 3 - 1.0 / 25, 3 + 1.0 / 25);

        var first = await Frame.AtAsync(file, 0.5, 320, 240);
        Assert.True(first.Near(20, 120, "#1E3A8A"), $"color segment pixel was {first.Pixel(20, 120)}");
        Assert.True(first.Near(20, 230, "#FF0000"), $"shape pixel was {first.Pixel(20, 230)}");
        var second = await Frame.AtAsync(file, 1.5, 320, 240);
        Assert.True(second.Near(160, 120, "#22AA44"), $"image pixel was {second.Pixel(160, 120)}");
    }

    [Fact]
    public async Task Rest_ResultUrl_ServesRanges_AndRefusesTampering()
    {
        var id = await RenderColorAsync("#336699", 1);
        var url = (await Rest.GetAsync(Farm.Http, id))["result"]!["url"]!.GetValue<string>();

        using var ranged = new HttpRequestMessage(HttpMethod.Get, url);
        ranged.Headers.Range = new RangeHeaderValue(0, 99);
        using var partial = await Farm.Http.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(100, (await partial.Content.ReadAsByteArrayAsync()).Length);

        var tampered = url.Replace($"/{id}/", $"/{id}x/", StringComparison.Ordinal);
        using var refused = await Farm.Http.GetAsync(tampered);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var again = (await Rest.GetAsync(Farm.Http, id))["result"]!["urlExpireTime"]!.GetValue<string>();
        Assert.True(DateTimeOffset.Parse(again, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddMinutes(50));
    }

    [Fact]
    public async Task Grpc_CreateAndWatchStream_OutputMatchesCanvas()
    {
        var client = new ProductionService.ProductionServiceClient(Farm.Grpc);
        var request = new CreateProductionRequest
        {
            Canvas = new Canvas
            {
                Preset = Canvas.Types.Preset.Unspecified,
                Width = 256,
                Height = 144,
                Fps = 30,
                Segments =
                {
                    new Segment { Color = new ColorClip { Color = "#AA0000" }, Duration = 1 },
                    new Segment { Color = new ColorClip { Color = "#00AA00" }, Duration = 1 },
                    new Segment { Text = new TextOverlay { Text = "gRPC", FontSize = 20 }, Start = 0.5, Duration = 1 },
                },
            },
            Output = new OutputSpec { Quality = OutputSpec.Types.Quality.Draft },
            Labels = { ["suite"] = "grpc" },
        };
        var created = await client.CreateProductionAsync(request);
        Assert.Contains(created.State, new[] { Production.Types.State.Queued, Production.Types.State.Running });

        using var watch = client.WatchProduction(new WatchProductionRequest { Id = created.Id });
        var seen = new List<ProductionEvent>();
        await foreach (var ev in watch.ResponseStream.ReadAllAsync())
        {
            seen.Add(ev);
        }

        Assert.Equal(Production.Types.State.Succeeded, seen[^1].Production.State);
        Assert.True(seen.Select(e => e.Sequence).SequenceEqual(seen.Select(e => e.Sequence).Order()));
        var done = await client.GetProductionAsync(new GetProductionRequest { Id = created.Id });
        Assert.Equal("grpc", done.Labels["suite"]);
        Assert.Equal(1, done.Attempts);
        var facts = await MediaFacts.ProbeAsync(await DownloadAsync(done.Result.Url));
        Assert.InRange(facts.Duration, 2 - 1.0 / 30, 2 + 1.0 / 30);
        Assert.Equal((256, 144, 30.0), (facts.Width, facts.Height, Math.Round(facts.Fps, 3)));
        Assert.Null(facts.AudioCodec);
    }

    [Fact]
    public async Task Cancel_WhileRunning_KillsFfmpeg_AndLeavesNoOutput()
    {
        var json = Rest.Json(new
        {
            canvas = new { preset = "FULL_HD", fps = 60, segments = new object[] { new { color = new { color = "#123456" }, duration = 600 }, new { text = new { text = "long" }, duration = 600 } } },
            output = new { quality = "HIGH" },
        });
        var id = (await Rest.CreateAsync(Farm.Http, json))["id"]!.GetValue<string>();
        await Wait.UntilAsync(async () => FfmpegProcesses.CountFor(id) > 0, TimeSpan.FromMinutes(1), "ffmpeg to start");

        var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, $"/v1/productions/{id}:cancel", "{}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("CANCELLED", body!["state"]!.GetValue<string>());

        await Wait.UntilAsync(() => Task.FromResult(FfmpegProcesses.CountFor(id) == 0), TimeSpan.FromSeconds(30), "ffmpeg to be killed");
        await Wait.UntilAsync(() => Task.FromResult(!Directory.Exists(WorkFolder(id))), TimeSpan.FromSeconds(30), "the render's scratch files to be removed");
        Assert.False(Directory.Exists(Path.Combine(Farm.DataDirectory, "objects", "productions", id)) &&
                     Directory.EnumerateFiles(Path.Combine(Farm.DataDirectory, "objects", "productions", id), "*", SearchOption.AllDirectories).Any());
        var after = await Rest.GetAsync(Farm.Http, id);
        Assert.Equal("CANCELLED", after["state"]!.GetValue<string>());
        Assert.Null(after["result"]);
    }

    [Fact]
    public async Task KilledNode_LeaseLapses_AndAnotherNodeFinishes()
    {
        await using var farm = await TestFarm.StartAsync(Server, nodes: 0);
        using var doomed = NodeProcess.Start(farm, "doomed");
        var json = Rest.Json(new
        {
            canvas = new { width = 640, height = 360, fps = 30, segments = new object[] { new { color = new { color = "#445566" }, duration = 45 }, new { text = new { text = "survivor" }, duration = 45 } } },
            output = new { quality = "HIGH", chunking = new { mode = "OFF" } }, // one job, one lease
        });
        var id = (await Rest.CreateAsync(farm.Http, json))["id"]!.GetValue<string>();
        await Wait.UntilAsync(async () => (await Rest.GetAsync(farm.Http, id))["nodeId"]?.GetValue<string>() == "doomed"
                                          && FfmpegProcesses.CountFor(id) > 0, TimeSpan.FromMinutes(1), "the doomed node to render");
        doomed.Kill();

        await farm.Host.StartNodeAsync("survivor");
        var events = await Rest.ReadEventsAsync(farm.Http, id, timeout: TimeSpan.FromMinutes(3));
        var done = events[^1].Data["production"]!;
        Assert.Equal("SUCCEEDED", done["state"]!.GetValue<string>());
        Assert.Equal("survivor", done["nodeId"]!.GetValue<string>());
        Assert.Equal(2, done["attempts"]!.GetValue<int>());
        Assert.Contains(events, e => e.Data["production"]!["stage"]!.GetValue<string>().Contains("lease", StringComparison.Ordinal));
        var facts = await MediaFacts.ProbeAsync(await DownloadAsync(done["result"]!["url"]!.GetValue<string>(), farm));
        Assert.InRange(facts.Duration, 45 - 1.0 / 30, 45 + 1.0 / 30);
    }

    [Theory]
    [InlineData("missing", "MEDIA_FETCH_FAILED")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "MEDIA_URL_REFUSED")]
    [InlineData("http://10.1.2.3/clip.mp4", "MEDIA_URL_REFUSED")]
    [InlineData("http://127.0.0.2/clip.mp4", "MEDIA_URL_REFUSED")]
    public async Task UnusableMedia_FailsTheProduction_WithItsReason(string src, string code)
    {
        var url = src == "missing" ? Farm.Media.Url("no-such-file.mp4") : src;
        var json = Rest.Json(new { canvas = new { width = 160, height = 120, segments = new object[] { new { video = new { src = url }, duration = 1 } } } });
        var id = (await Rest.CreateAsync(Farm.Http, json))["id"]!.GetValue<string>();
        var events = await Rest.ReadEventsAsync(Farm.Http, id);
        var failed = events[^1].Data["production"]!;
        Assert.Equal("FAILED", failed["state"]!.GetValue<string>());
        Assert.Equal(code, failed["error"]!["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(failed["error"]!["message"]!.GetValue<string>()));
        // Neither a refused address nor a 404 is worth another attempt.
        Assert.Equal(1, failed["attempts"]!.GetValue<int>());
    }

    [Fact]
    public async Task SigtermedNode_FinishesItsRender_ThenExits()
    {
        await using var farm = await TestFarm.StartAsync(Server, nodes: 0);
        using var node = NodeProcess.Start(farm, "graceful");
        var id = await StartLongRenderAsync(farm, "graceful", seconds: 12);
        await node.TerminateAsync();

        // The render finishes, its result is acknowledged, then the process exits on its own.
        await node.WaitForExitAsync(TimeSpan.FromMinutes(2));
        var done = await Rest.GetAsync(farm.Http, id);
        Assert.Equal("SUCCEEDED", done["state"]!.GetValue<string>());
        Assert.Equal(1, done["attempts"]!.GetValue<int>());
        Assert.Equal("graceful", done["nodeId"]!.GetValue<string>());
    }

    [Fact]
    public async Task SigtermedNode_PastDrainTimeout_HandsTheLeaseBack()
    {
        await using var farm = await TestFarm.StartAsync(Server, nodes: 0);
        using var node = NodeProcess.Start(farm, "hasty", new Dictionary<string, string> { ["RenderFarm__Node__DrainTimeout"] = "00:00:00.500" });
        var id = await StartLongRenderAsync(farm, "hasty", seconds: 120);
        await node.TerminateAsync();

        await node.WaitForExitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(0, FfmpegProcesses.CountFor(id));
        var handedBack = await Rest.GetAsync(farm.Http, id);
        Assert.True(handedBack["state"]!.GetValue<string>() == "QUEUED", handedBack.ToJsonString());
        Assert.Equal("NODE_SHUTDOWN", handedBack["error"]!["code"]!.GetValue<string>());
        Assert.Equal(1, handedBack["attempts"]!.GetValue<int>());
    }

    private static async Task<string> StartLongRenderAsync(TestFarm farm, string nodeId, int seconds)
    {
        var json = Rest.Json(new
        {
            canvas = new { width = 640, height = 360, fps = 30, segments = new object[] { new { color = new { color = "#335577" }, duration = seconds }, new { text = new { text = "drain" }, duration = seconds } } },
            output = new { quality = "HIGH", chunking = new { mode = "OFF" } }, // one job, one lease
        });
        var id = (await Rest.CreateAsync(farm.Http, json))["id"]!.GetValue<string>();
        await Wait.UntilAsync(async () => (await Rest.GetAsync(farm.Http, id))["nodeId"]?.GetValue<string>() == nodeId
                                          && FfmpegProcesses.CountFor(id) > 0, TimeSpan.FromMinutes(1), $"node {nodeId} to render");
        return id;
    }

    [Fact]
    public async Task LateResult_WithOldLeaseToken_IsRejected()
    {
        await using var farm = await TestFarm.StartAsync(Server, nodes: 0);
        await using var zombie = await RawNode.ConnectAsync(farm, "zombie");
        var json = Rest.Json(new { canvas = new { width = 640, height = 360, segments = new object[] { new { color = new { color = "#884422" }, duration = 40 } } }, output = new { quality = "HIGH", chunking = new { mode = "OFF" } } }); // one job, one lease
        var id = (await Rest.CreateAsync(farm.Http, json))["id"]!.GetValue<string>();
        var assignment = await zombie.NextAssignmentAsync();
        Assert.Equal(id, assignment.ProductionId);

        // The zombie never heartbeats: its lease lapses and a healthy node takes the job over.
        await farm.Host.StartNodeAsync("healthy");
        await Wait.UntilAsync(async () =>
        {
            var p = await Rest.GetAsync(farm.Http, id);
            return p["state"]!.GetValue<string>() == "RUNNING" && p["nodeId"]!.GetValue<string>() == "healthy";
        }, TimeSpan.FromMinutes(1), "the healthy node to take over");

        await zombie.SendAsync(new NodeMessage
        {
            Result = new RenderResult
            {
                ProductionId = id,
                LeaseToken = assignment.LeaseToken,
                Output = new RenderOutput { ObjectKey = assignment.ObjectKey, Duration = 40, Width = 640, Height = 360, ContentType = "video/mp4" },
            },
        });
        var ack = await zombie.NextAckAsync();
        Assert.False(ack.Accepted);
        Assert.Equal("STALE_LEASE", ack.Reason);
        var events = await Rest.ReadEventsAsync(farm.Http, id, timeout: TimeSpan.FromMinutes(2));
        var done = events[^1].Data["production"]!;
        Assert.Equal("SUCCEEDED", done["state"]!.GetValue<string>());
        Assert.Equal("healthy", done["nodeId"]!.GetValue<string>());
        // The record names the winning attempt. While the healthy node starts, the zombie may be
        // given (and lose) a second attempt too, so the winner is the last attempt, not always 2.
        var winner = done["attempts"]!.GetValue<int>();
        Assert.True(winner >= 2, done.ToJsonString());
        Assert.Contains($"/{id}/{winner}/", done["result"]!["url"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Result_NamingAnotherProductionsStorage_IsNotTakenAsOutput()
    {
        await using var farm = await TestFarm.StartAsync(Server, nodes: 0);
        await using var liar = await RawNode.ConnectAsync(farm, "liar");
        var json = Rest.Json(new { canvas = new { width = 160, height = 120, segments = new object[] { new { color = new { color = "#112233" }, duration = 1 } } } });
        var id = (await Rest.CreateAsync(farm.Http, json))["id"]!.GetValue<string>();
        var assignment = await liar.NextAssignmentAsync();
        await liar.SendAsync(new NodeMessage
        {
            Result = new RenderResult
            {
                ProductionId = id,
                LeaseToken = assignment.LeaseToken,
                Output = new RenderOutput { ObjectKey = "productions/someone-else/1/output.mp4", Duration = 1, ContentType = "video/mp4" },
            },
        });
        Assert.True((await liar.NextAckAsync()).Accepted);
        var production = await Rest.GetAsync(farm.Http, id);
        Assert.NotEqual("SUCCEEDED", production["state"]!.GetValue<string>());
        Assert.Equal("NODE_ERROR", production["error"]!["code"]!.GetValue<string>());
        Assert.Null(production["result"]);
    }

    [Theory]
    [InlineData("""{"canvas":{"width":320,"height":240,"segments":[{"color":{"color":"#FF0000"},"duration":-1}]}}""", "canvas.segments[0].duration")]
    [InlineData("""{"canvas":{"width":320,"height":240,"segments":[{"color":{"color":"#FF0000"},"duration":1},{"duration":2}]}}""", "canvas.segments[1]")]
    [InlineData("""{"canvas":{"width":5000,"height":240,"segments":[{"color":{"color":"#FF0000"},"duration":1}]}}""", "canvas.width")]
    [InlineData("""{"canvas":{"width":320,"height":240,"segments":[{"video":{"trimStart":1},"duration":1}]}}""", "canvas.segments[0].video.src")]
    [InlineData("""{"canvas":{"width":320,"height":240,"segments":[{"color":{"color":"blue-ish"},"duration":1}]}}""", "canvas.segments[0].color.color")]
    [InlineData("""{"canvas":{"width":320,"height":240,"segments":[{"video":{"src":"file:///etc/passwd"},"duration":1}]}}""", "canvas.segments[0].video.src")]
    [InlineData("""{"canvas":{"width":320,"height":240,"segments":[{"color":{"color":"#000000"},"duration":2},{"color":{"color":"#FF0000"},"layer":{"opacity":0.5}}]}}""", "canvas.segments[1].layer.width")]
    [InlineData("""{"canvas":{"width":320,"height":240,"segments":[{"color":{"color":"#000000"},"duration":2},{"color":{"color":"#FF0000"},"layer":{"width":9,"height":0.5}}]}}""", "canvas.segments[1].layer.width")]
    [InlineData("""{"canvas":{"width":320,"height":240,"segments":[{"color":{"color":"#000000"},"duration":2},{"color":{"color":"#FF0000"},"layer":{"width":0.5,"height":0.5,"opacity":7}}]}}""", "canvas.segments[1].layer.opacity")]
    [InlineData("""{"canvas":{"width":320,"height":240,"segments":[{"color":{"color":"#000000"},"duration":2},{"color":{"color":"#FF0000"},"layer":{"width":0.5,"height":0.5,"rotation":"NaN"}}]}}""", "canvas.segments[1].layer.rotation")]
    [InlineData("""{"canvas":{"width":320,"height":240,"segments":[{"color":{"color":"#000000"},"duration":2},{"color":{"color":"#FF0000"},"duration":2,"layer":{"width":0.5,"height":0.5,"keyframes":[{"time":1,"x":0.5},{"time":0.5,"x":0.1}]}}]}}""", "canvas.segments[1].layer.keyframes[1].time")]
    [InlineData("""{"canvas":{"width":320,"height":240,"segments":[{"color":{"color":"#000000"},"duration":2},{"color":{"color":"#FF0000"},"duration":2,"layer":{"width":0.5,"height":0.5,"keyframes":[{"time":3,"x":0.5}]}}]}}""", "canvas.segments[1].layer.keyframes[0].time")]
    public async Task Rest_BadCanvas_IsRejectedWithFieldPath_AndNothingIsQueued(string json, string field)
    {
        var before = await QueuedCountAsync();
        var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/productions", json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(3, body!["code"]!.GetValue<int>());
        Assert.Contains(field, body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var details = body["details"]!.AsArray();
        Assert.Contains(details, d => d!["@type"]!.GetValue<string>().EndsWith("google.rpc.ErrorInfo", StringComparison.Ordinal) && d["reason"]!.GetValue<string>().Length > 0);
        Assert.Contains(details, d => d!["fieldViolations"]?.AsArray().Any(v => v!["field"]!.GetValue<string>() == field) == true);
        Assert.Equal(before, await QueuedCountAsync());
    }

    [Fact]
    public async Task Rest_UnknownSegmentType_IsRejected_AndNothingIsQueued()
    {
        var before = await QueuedCountAsync();
        var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/productions",
            """{"canvas":{"width":320,"height":240,"segments":[{"hologram":{"src":"x"},"duration":1}]}}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("canvas.segments[0]", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await QueuedCountAsync());
    }

    [Fact]
    public async Task Grpc_BadCanvas_IsInvalidArgument_WithBadRequestDetails()
    {
        var client = new ProductionService.ProductionServiceClient(Farm.Grpc);
        var bad = new CreateProductionRequest { Canvas = new Canvas { Width = 320, Height = 240, Fps = 29, Segments = { new Segment { Duration = 1 } } } };
        var e = await Assert.ThrowsAsync<RpcException>(() => client.CreateProductionAsync(bad).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        var fields = e.GetBadRequest()!.FieldViolations.Select(v => v.Field).ToList();
        Assert.Contains("canvas.fps", fields);
        Assert.Contains("canvas.segments[0]", fields);
        Assert.Equal(Problems.Domain, e.GetErrorInfo()!.Domain);
    }

    [Fact]
    public async Task RepeatedRequestId_ReturnsTheOriginal_AndADifferentBodyConflicts()
    {
        var requestId = Guid.NewGuid().ToString();
        string Body(string color) => Rest.Json(new { canvas = new { width = 160, height = 120, segments = new object[] { new { color = new { color }, duration = 1 } } }, requestId });
        var first = (await Rest.CreateAsync(Farm.Http, Body("#010203")))["id"]!.GetValue<string>();
        var again = (await Rest.CreateAsync(Farm.Http, Body("#010203")))["id"]!.GetValue<string>();
        Assert.Equal(first, again);

        var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/productions", Body("#040506"));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains(body!["details"]!.AsArray(), d => d!["reason"]?.GetValue<string>() == "REQUEST_ID_REUSED");
        var (_, list) = await Rest.SendAsync(Farm.Http, HttpMethod.Get, "/v1/productions?pageSize=100");
        Assert.Single(list!["productions"]!.AsArray(), p => p!["id"]!.GetValue<string>() == first);
    }

    [Fact]
    public async Task UnknownProduction_IsNotFound_OnRestGrpcAndSse()
    {
        var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Get, "/v1/productions/0123abc");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains(body!["details"]!.AsArray(), d => d!["reason"]?.GetValue<string>() == "PRODUCTION_NOT_FOUND");
        var client = new ProductionService.ProductionServiceClient(Farm.Grpc);
        var e = await Assert.ThrowsAsync<RpcException>(() => client.GetProductionAsync(new GetProductionRequest { Id = "../../etc" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        using var sse = await Farm.Http.GetAsync("/v1/productions/nope/events");
        Assert.Equal(HttpStatusCode.NotFound, sse.StatusCode);
    }

    [Fact]
    public async Task Sse_ResumesAfterLastEventId_WithoutRepeats()
    {
        var id = await RenderColorAsync("#552288", 1);
        var all = await Rest.ReadEventsAsync(Farm.Http, id, lastEventId: 1);
        Assert.All(all, e => Assert.True(e.Id > 1));
        Assert.Equal(all.Select(e => e.Id).Distinct().Count(), all.Count);
        Assert.Equal("SUCCEEDED", all[^1].Data["production"]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_Delete_RemovesRecordAndStoredMedia()
    {
        var id = await RenderColorAsync("#778899", 1);
        var (_, list) = await Rest.SendAsync(Farm.Http, HttpMethod.Get, "/v1/productions?pageSize=50&state=SUCCEEDED");
        Assert.Contains(list!["productions"]!.AsArray(), p => p!["id"]!.GetValue<string>() == id);
        var objects = Path.Combine(Farm.DataDirectory, "objects", "productions", id);
        Assert.True(Directory.EnumerateFiles(objects, "*", SearchOption.AllDirectories).Any());

        var (status, _) = await Rest.SendAsync(Farm.Http, HttpMethod.Delete, $"/v1/productions/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(Directory.Exists(objects) && Directory.EnumerateFiles(objects, "*", SearchOption.AllDirectories).Any());
        Assert.Equal(HttpStatusCode.NotFound, (await Rest.SendAsync(Farm.Http, HttpMethod.Get, $"/v1/productions/{id}")).Status);
        var (badStatus, bad) = await Rest.SendAsync(Farm.Http, HttpMethod.Get, "/v1/productions?pageToken=garbage");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Contains("pageToken", bad!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestartedCoordinator_NodesReconnect_AndWorkContinues()
    {
        await using var farm = await TestFarm.StartAsync(Server, nodes: 1);
        await farm.Host.RestartCoordinatorAsync();
        var json = Rest.Json(new { canvas = new { width = 160, height = 120, segments = new object[] { new { color = new { color = "#101010" }, duration = 1 } } } });
        var id = (await Rest.CreateAsync(farm.Http, json))["id"]!.GetValue<string>();
        var events = await Rest.ReadEventsAsync(farm.Http, id, timeout: TimeSpan.FromMinutes(1));
        Assert.Equal("SUCCEEDED", events[^1].Data["production"]!["state"]!.GetValue<string>());
        Assert.Equal("embedded-1", events[^1].Data["production"]!["nodeId"]!.GetValue<string>());
    }

    [Fact]
    public async Task RestWatch_StreamsNewlineDelimitedJson_UntilFinalState()
    {
        var json = Rest.Json(new { canvas = new { width = 160, height = 120, segments = new object[] { new { color = new { color = "#202020" }, duration = 1 } } } });
        var id = (await Rest.CreateAsync(Farm.Http, json))["id"]!.GetValue<string>();
        using var response = await Farm.Http.GetAsync($"/v1/productions/{id}:watch", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var states = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length > 0)
            {
                states.Add(JsonNode.Parse(line)!["production"]!["state"]!.GetValue<string>());
            }
        }

        Assert.Equal("SUCCEEDED", states[^1]);
    }

    [Fact]
    public async Task Health_Readiness_AndMetrics_AreServed()
    {
        Assert.Equal(HttpStatusCode.OK, (await Farm.Http.GetAsync("/healthz")).StatusCode);
        var ready = await Rest.SendAsync(Farm.Http, HttpMethod.Get, "/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        await RenderColorAsync("#303030", 1);
        var metrics = await Farm.Http.GetStringAsync("/metrics");
        Assert.Contains("renderfarm_facade_productions_created_total", metrics, StringComparison.Ordinal);
        Assert.Contains("renderfarm_coordinator_assignments_total", metrics, StringComparison.Ordinal);
        Assert.Contains("renderfarm_node_renders_total", metrics, StringComparison.Ordinal);
    }

    private async Task<string> RenderColorAsync(string color, double seconds)
    {
        var json = Rest.Json(new { canvas = new { width = 160, height = 120, segments = new object[] { new { color = new { color }, duration = seconds } } }, output = new { quality = "DRAFT" } });
        var id = (await Rest.CreateAsync(Farm.Http, json))["id"]!.GetValue<string>();
        var events = await Rest.ReadEventsAsync(Farm.Http, id);
        Assert.Equal("SUCCEEDED", events[^1].Data["production"]!["state"]!.GetValue<string>());
        return id;
    }

    private async Task<string> DownloadAsync(string url, TestFarm? farm = null)
    {
        using var response = await (farm ?? Farm).Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = Path.Combine((farm ?? Farm).DataDirectory, $"download-{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        return path;
    }

    private string WorkFolder(string id) => Directory.Exists(Path.Combine(Farm.DataDirectory, "work"))
        ? Directory.EnumerateDirectories(Path.Combine(Farm.DataDirectory, "work"), $"{id}-*", SearchOption.AllDirectories).FirstOrDefault() ?? Path.Combine(Farm.DataDirectory, "none")
        : Path.Combine(Farm.DataDirectory, "none");

    private async Task<long> QueuedCountAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Server.Configuration);
        // Productions waiting (the scheduler counts them per tenant) plus those running.
        return (long)await redis.GetDatabase().StringGetAsync($"{Farm.KeyPrefix}tenant:default:queued")
             + await redis.GetDatabase().SortedSetLengthAsync($"{Farm.KeyPrefix}leases");
    }
}

public sealed class FarmOnGarnet(GarnetFarmFixture fixture) : FarmSuite(fixture), IClassFixture<GarnetFarmFixture>;

public sealed class FarmOnRedis(RedisFarmFixture fixture) : FarmSuite(fixture), IClassFixture<RedisFarmFixture>;
