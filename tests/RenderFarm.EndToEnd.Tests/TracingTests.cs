using System.Collections.Concurrent;
using System.Diagnostics;
using RenderFarm.Contracts;
using RenderFarm.Testing;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>
/// One render's spans across the three hosts of an embedded farm (facade, coordinator, node share
/// the process, so one listener hears every source): one trace id from the facade's create through
/// the coordinator's dispatch to the node's FFmpeg run and upload, each linked to its parent.
/// </summary>
public sealed class TracingTests
{
    [Fact]
    public async Task OneRender_IsOneTrace_FromFacadeCreate_ThroughDispatch_ToNodeUpload()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => FarmTracing.SourceNames.Contains(s.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        await using var redis = await RedisServer.StartRedisAsync();
        await using var farm = await TestFarm.StartAsync(redis);
        var json = Rest.Json(new { canvas = new { width = 160, height = 120, segments = new object[] { new { color = new { color = "#336699" }, duration = 1 } } } });
        var id = (await Rest.CreateAsync(farm.Http, json))["id"]!.GetValue<string>();
        var events = await Rest.ReadEventsAsync(farm.Http, id);
        Assert.Equal("SUCCEEDED", events[^1].Data["production"]!["state"]!.GetValue<string>());

        var create = Single(spans, "RenderFarm.Facade", "production create", id);
        var trace = create.TraceId;
        var dispatch = Single(spans, "RenderFarm.Coordinator", "production dispatch", id);
        var render = Single(spans, "RenderFarm.Node", "render", id);
        var mine = spans.Where(s => s.TraceId == trace).ToList();
        var ffmpeg = mine.Single(s => s.OperationName == "ffmpeg run");
        var uploads = mine.Where(s => s.OperationName == "upload").ToList();

        Assert.Equal(trace, dispatch.TraceId);
        Assert.Equal(trace, render.TraceId);
        Assert.NotEmpty(uploads);
        // Across hosts: the job carries the create span, the assignment carries the dispatch span.
        Assert.Equal(create.SpanId, dispatch.ParentSpanId);
        Assert.Equal(dispatch.SpanId, render.ParentSpanId);
        Assert.All(uploads, u => Assert.Equal(render.SpanId, u.ParentSpanId));
        var compile = mine.Single(s => s.OperationName == "render compile");
        Assert.Equal(render.SpanId, compile.ParentSpanId);
        Assert.Equal(compile.SpanId, mine.Single(s => s.OperationName == "render fetch").ParentSpanId);
        Assert.Equal(render.SpanId, ffmpeg.ParentSpanId);
        // The create script ran inside the facade's span.
        Assert.Contains(mine, s => s.OperationName == "redis create" && s.ParentSpanId == create.SpanId);
    }

    [Fact]
    public async Task WithAnOtlpEndpoint_TheRendersSpansAreExported_AsOtlpHttpProtobuf()
    {
        await using var collector = await WebhookReceiver.StartAsync();
        await using var redis = await RedisServer.StartRedisAsync();
        string id;
        await using (var farm = await TestFarm.StartAsync(redis, extra: new Dictionary<string, string?> { ["RenderFarm:Tracing:OtlpEndpoint"] = collector.BaseUrl }))
        {
            var json = Rest.Json(new { canvas = new { width = 160, height = 120, segments = new object[] { new { color = new { color = "#993366" }, duration = 1 } } } });
            id = (await Rest.CreateAsync(farm.Http, json))["id"]!.GetValue<string>();
            var events = await Rest.ReadEventsAsync(farm.Http, id);
            Assert.Equal("SUCCEEDED", events[^1].Data["production"]!["state"]!.GetValue<string>());
        }

        // Stopping the farm flushes the batch exporter.
        var posts = collector.On("v1/traces");
        Assert.NotEmpty(posts);
        Assert.All(posts, p => Assert.StartsWith("application/x-protobuf", p.Headers["Content-Type"], StringComparison.Ordinal));
        var bodies = posts.Select(p => p.Body).ToList();
        // Protobuf writes strings as they are: the span names and the production id tag are in the export.
        foreach (var text in new[] { id, "production create", "production dispatch", "ffmpeg run", "upload", "renderfarm-" })
        {
            Assert.True(bodies.Any(b => Contains(b, System.Text.Encoding.UTF8.GetBytes(text))), $"no OTLP export carries \"{text}\"");
        }
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private static Activity Single(IEnumerable<Activity> spans, string source, string name, string production) =>
        spans.Single(s => s.Source.Name == source && s.OperationName == name && (s.GetTagItem("renderfarm.production_id") as string) == production);
}
