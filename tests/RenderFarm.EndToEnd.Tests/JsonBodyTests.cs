using System.Net;
using System.Text.Json.Nodes;
using RenderFarm.Testing;
using StackExchange.Redis;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>A farm without nodes on in-process Garnet: REST bodies are checked, nothing renders.</summary>
public sealed class NodelessFarmFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;
    public TestFarm Farm { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = RedisServer.StartGarnet();
        Farm = await TestFarm.StartAsync(Server, nodes: 0);
    }

    public async Task DisposeAsync()
    {
        await Farm.DisposeAsync();
        await Server.DisposeAsync();
    }
}

/// <summary>REST bodies that transcoding would drop silently or reject without a path get a named field and reason.</summary>
public sealed class JsonBodyTests(NodelessFarmFixture fixture) : IClassFixture<NodelessFarmFixture>
{
    private const string Color = """{"color":{"color":"#ff0000"},"duration":1}""";

    private TestFarm Farm => fixture.Farm;

    [Fact]
    public Task UnknownSegmentType_IsUnknownField_NamingIt() =>
        AssertRejectedAsync("""{"canvas":{"width":320,"height":240,"segments":[{"hologram":{"src":"x"},"duration":1}]}}""",
            "UNKNOWN_FIELD", "canvas.segments[0].hologram", "hologram");

    [Fact]
    public Task MisspelledField_IsUnknownField() =>
        AssertRejectedAsync("""{"canvas":{"width":320,"height":240,"segments":[{"color":{"color":"#ff0000"},"duraton":2}]}}""",
            "UNKNOWN_FIELD", "canvas.segments[0].duraton", "duration");

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"canvas":{"width":320""")]
    [InlineData("""{"canvas":{"width":320,}}""")]
    public Task MalformedJson_IsMalformedJson(string json) => AssertRejectedAsync(json, "MALFORMED_JSON", null, "line");

    [Theory]
    [InlineData("""{"canvas":[1,2]}""", "canvas", "object")]
    [InlineData("""{"canvas":{"fps":"fast"}}""", "canvas.fps", "integer")]
    [InlineData("""{"canvas":{"width":320.5}}""", "canvas.width", "integer")]
    [InlineData("""{"canvas":{"segments":{}}}""", "canvas.segments", "array")]
    [InlineData("""{"canvas":{"backgroundColor":7}}""", "canvas.backgroundColor", "string")]
    [InlineData("""{"canvas":{"segments":[{"video":{"muted":"yes"}}]}}""", "canvas.segments[0].video.muted", "bool")]
    [InlineData("""{"labels":{"a":1}}""", "labels[a]", "string")]
    public Task WrongJsonType_IsInvalidType(string json, string field, string expected) =>
        AssertRejectedAsync(json, "INVALID_TYPE", field, expected);

    [Fact]
    public Task UnknownEnumName_IsInvalidEnum_ListingValues() =>
        AssertRejectedAsync("""{"canvas":{"preset":"HUGE"}}""", "INVALID_ENUM", "canvas.preset", "YOUTUBE_SHORT");

    [Fact]
    public Task TwoKindsInOneSegment_IsOneofConflict() =>
        AssertRejectedAsync("""{"canvas":{"width":320,"height":240,"segments":[{"color":{"color":"#ff0000"},"image":{"src":"x"},"duration":1}]}}""",
            "ONEOF_CONFLICT", "canvas.segments[0].image", "color");

    [Fact]
    public async Task EveryViolation_IsListed()
    {
        var (status, body) = await PostAsync("""{"canvas":{"preset":"HUGE","fpz":1,"segments":[{"hologram":{}}]},"output":{"format":"AVI"}}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var fields = Violations(body!).Select(v => v!["field"]!.GetValue<string>()).ToList();
        Assert.Equal(["canvas.preset", "canvas.fpz", "canvas.segments[0].hologram", "output.format"], fields);
    }

    [Fact]
    public async Task ProtoNames_NullsAndEnumNumbers_AreAccepted()
    {
        var json = """
            {"canvas":{"width":320,"height":240,"fps":30,"background_color":"#000000","preset":null,
              "segments":[{"video":{"src":"http://127.0.0.1:1/a.mp4","trim_start":0.5,"fit":2},"duration":1e0},
                          {"image":null,"color":{"color":"#ff0000"},"start":null,"duration":1}]},
             "output":{"format":"MP4","video_codec":1},"display_name":"names","priority":"HIGH","labels":{"k":"v"}}
            """;
        var (status, body) = await PostAsync(json);
        Assert.True(status == HttpStatusCode.OK, $"create answered {status}: {body}");
        Assert.Equal("names", body!["displayName"]!.GetValue<string>());
        Assert.Equal("#000000", body["canvas"]!["backgroundColor"]!.GetValue<string>());
    }

    // Transcoding reads int32 and double with System.Text.Json's strict converters; proto3 JSON would take these.
    [Theory]
    [InlineData("""{"canvas":{"width":"320"}}""", "canvas.width")]
    [InlineData("""{"canvas":{"width":320.0}}""", "canvas.width")]
    [InlineData("""{"canvas":{"segments":[{"duration":"1"}]}}""", "canvas.segments[0].duration")]
    [InlineData("""{"canvas":{"segments":[null]}}""", "canvas.segments[0]")]
    [InlineData("""{"labels":{"k":null}}""", "labels[k]")]
    public Task WhatTranscodingCannotRead_IsInvalidType_NotAGenericError(string json, string field) =>
        AssertRejectedAsync(json, "INVALID_TYPE", field, field);

    [Fact]
    public Task NullMemberAfterAnother_IsOneofConflict() =>
        AssertRejectedAsync("""{"canvas":{"segments":[{"color":{"color":"#ff0000"},"image":null}]}}""",
            "ONEOF_CONFLICT", "canvas.segments[0].image", "image");

    [Fact]
    public Task EmptyBody_IsTheEmptyMessage_SoCreateNeedsACanvas() => AssertRejectedAsync("", "FIELD_REQUIRED", "canvas", "canvas");

    [Fact]
    public async Task CancelWithoutABody_Works()
    {
        var id = (await Rest.CreateAsync(Farm.Http, $$$"""{"canvas":{"width":320,"height":240,"segments":[{{{Color}}}]}}"""))["id"]!.GetValue<string>();
        using var bare = await Farm.Http.PostAsync($"/v1/productions/{id}:cancel", content: null);
        Assert.Equal(HttpStatusCode.OK, bare.StatusCode);
        Assert.Contains("CANCELLED", await bare.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonJsonBody_IsUnsupportedContentType()
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["canvas"] = "x" });
        using var response = await Farm.Http.PostAsync("/v1/productions", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UNSUPPORTED_CONTENT_TYPE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidRequest_StillCreatesAProduction()
    {
        var before = await QueuedCountAsync();
        var created = await Rest.CreateAsync(Farm.Http, $$$"""{"canvas":{"width":320,"height":240,"fps":30,"segments":[{{{Color}}}]}}""");
        Assert.Equal("QUEUED", created["state"]!.GetValue<string>());
        Assert.Equal(before + 1, await QueuedCountAsync());
    }

    [Fact]
    public async Task BodilessAndNonTranscodedRoutes_AreUntouched()
    {
        var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Get, "/v1/productions?pageSize=1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotNull(body!["productions"]);
        (status, _) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/productions/nope:cancel", "{}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        (status, _) = await Rest.SendAsync(Farm.Http, HttpMethod.Get, "/healthz");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    private async Task AssertRejectedAsync(string json, string reason, string? field, string mentioned)
    {
        var before = await QueuedCountAsync();
        var (status, body) = await PostAsync(json);
        Assert.True(status == HttpStatusCode.BadRequest, $"answered {status}: {body}");
        Assert.Equal(3, body!["code"]!.GetValue<int>());
        var message = body["message"]!.GetValue<string>();
        Assert.Contains(mentioned, message, StringComparison.Ordinal);
        var info = body["details"]!.AsArray().Single(d => d!["@type"]!.GetValue<string>() == "type.googleapis.com/google.rpc.ErrorInfo")!;
        Assert.Equal(reason, info["reason"]!.GetValue<string>());
        Assert.Equal("renderfarm.dev", info["domain"]!.GetValue<string>());
        var first = Violations(body)[0]!;
        Assert.Equal(reason, first["reason"]!.GetValue<string>());
        if (field is not null)
        {
            // proto3 JSON leaves out an empty string field, so a body-level violation has no "field".
            Assert.Equal(field, info["metadata"]!["field"]!.GetValue<string>());
            Assert.Equal(field, first["field"]?.GetValue<string>() ?? "");
            if (field.Length > 0)
            {
                Assert.StartsWith(field + ":", message, StringComparison.Ordinal);
            }
        }

        Assert.Equal(before, await QueuedCountAsync());
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/productions") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        using var response = await Farm.Http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        }

        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static JsonArray Violations(JsonNode body) =>
        body["details"]!.AsArray().Single(d => d!["@type"]!.GetValue<string>().EndsWith("google.rpc.BadRequest", StringComparison.Ordinal))!["fieldViolations"]!.AsArray();

    private async Task<long> QueuedCountAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Server.Configuration);
        // The scheduler counts each tenant's waiting productions.
        return (long)await redis.GetDatabase().StringGetAsync($"{Farm.KeyPrefix}tenant:default:queued");
    }
}
