using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using RenderFarm.Testing;
using Xunit.Abstractions;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>
/// The MCP server at /mcp, driven by the SDK's own client over streamable HTTP the way an agent
/// drives it: the tool list and its schemas, the plan → render → wait loop to a downloadable MP4,
/// scopes, keys, rate limits and errors as tool results.
/// </summary>
public sealed class McpTests(GarnetFarmFixture fixture, ITestOutputHelper output) : IClassFixture<GarnetFarmFixture>
{
    private static readonly string[] ToolNames =
    [
        "plan_canvas", "get_plan", "render_plan", "render_canvas", "render_template", "get_production",
        "wait_for_production", "list_productions", "cancel_production", "list_templates", "create_asset_upload",
    ];

    private TestFarm Farm => fixture.Farm;

    [Fact]
    public async Task Mcp_ListTools_DescribesEveryTool_WithTheCanvasSchema_AndAnExampleThatPlans()
    {
        await using var client = await ConnectAsync(Farm.AdminKey);
        var tools = await client.ListToolsAsync();
        Assert.Equal(ToolNames.Order(), tools.Select(t => t.Name).Order());
        // What an agent loads into its context: each tool's description and schema, the canvas tools' the largest.
        foreach (var tool in tools)
        {
            output.WriteLine($"{tool.Name}: description {tool.Description.Length} chars, schema {tool.ProtocolTool.InputSchema.GetRawText().Length} chars");
        }

        var plan = tools.Single(t => t.Name == "plan_canvas").ProtocolTool;
        var schema = JsonNode.Parse(plan.InputSchema.GetRawText())!;
        Assert.Equal("object", schema["type"]!.GetValue<string>());
        Assert.Equal("#/$defs/Canvas", schema["properties"]!["canvas"]!["$ref"]?.GetValue<string>() ?? schema["properties"]!["canvas"]!["allOf"]![0]!["$ref"]!.GetValue<string>());
        Assert.Contains("canvas", schema["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        var defs = schema["$defs"]!;
        Assert.NotNull(defs["Segment"]!["properties"]!["text"]);
        Assert.Contains("FADE", defs["Transition.Kind"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        // Every reference resolves inside the schema itself.
        foreach (var reference in References(schema))
        {
            Assert.StartsWith("#/$defs/", reference);
            Assert.NotNull(defs[reference["#/$defs/".Length..]]);
        }

        Assert.Equal(true, tools.Single(t => t.Name == "get_production").ProtocolTool.Annotations?.ReadOnlyHint);
        Assert.Equal(true, tools.Single(t => t.Name == "cancel_production").ProtocolTool.Annotations?.DestructiveHint);

        // The example in the description is what an agent copies: it must plan without a warning.
        var description = plan.Description!;
        var example = description[(description.IndexOf("Example arguments:", StringComparison.Ordinal) + "Example arguments:".Length)..].Trim();
        var arguments = JsonNode.Parse(example)!.AsObject();
        arguments["skipPreviews"] = true;
        var planned = await CallOkAsync(client, "plan_canvas", arguments);
        Assert.True(planned["plan"]!["warnings"] is null, $"the example plans with warnings: {planned["plan"]!["warnings"]}");
        Assert.Equal(3.5, planned["plan"]!["estimate"]!["duration"]!.GetValue<double>(), 6);
        Assert.Contains(example, tools.Single(t => t.Name == "render_canvas").Description, StringComparison.Ordinal);

        // JSON-RPC is no REST route: the OpenAPI document leaves /mcp out (docs/mcp.md describes it).
        var (_, openApi) = await Rest.SendAsync(Farm.Http, HttpMethod.Get, "/openapi/v1.json");
        Assert.DoesNotContain(openApi!["paths"]!.AsObject(), p => p.Key.StartsWith("/mcp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Mcp_PlanRenderWait_Succeeds_WithPreviews_Transcript_AndAnMp4ThatProbes()
    {
        await using var client = await ConnectAsync(Farm.AdminKey);
        var canvas = new JsonObject
        {
            ["width"] = 320,
            ["height"] = 240,
            ["fps"] = 25,
            ["segments"] = new JsonArray(
                new JsonObject { ["color"] = new JsonObject { ["color"] = "#1E3A8A" }, ["duration"] = 1 },
                new JsonObject { ["color"] = new JsonObject { ["color"] = "#0F766E" }, ["duration"] = 1, ["transition"] = new JsonObject { ["kind"] = "FADE", ["duration"] = 3 } },
                new JsonObject
                {
                    ["captions"] = new JsonObject
                    {
                        ["source"] = "EXPLICIT",
                        ["words"] = new JsonArray(
                            new JsonObject { ["text"] = "Hello", ["start"] = 0.2, ["end"] = 0.8 },
                            new JsonObject { ["text"] = "agents", ["start"] = 0.9, ["end"] = 1.6 }),
                    },
                }),
        };

        var planned = await CallOkAsync(client, "plan_canvas", new JsonObject { ["canvas"] = canvas, ["previewTimes"] = new JsonArray(0.5), ["waitForPreviewsSeconds"] = 120 });
        var plan = planned["plan"]!;
        Assert.Contains(plan["warnings"]!.AsArray(), w => w!["code"]!.GetValue<string>() == "TRANSITION_CLAMPED" && w["path"]!.GetValue<string>() == "canvas.segments[1].transition.duration");
        Assert.Equal(1, plan["estimate"]!["duration"]!.GetValue<double>(), 6);
        Assert.Equal("READY", plan["preview"]!["state"]!.GetValue<string>());
        var still = await Farm.Http.GetByteArrayAsync(Assert.Single(planned["previewUrls"]!.AsArray())!.GetValue<string>());
        Assert.Equal([0xFF, 0xD8], still[..2]);

        var rendered = await CallOkAsync(client, "render_plan", new JsonObject { ["id"] = plan["id"]!.GetValue<string>(), ["fingerprint"] = plan["fingerprint"]!.GetValue<string>(), ["displayName"] = "mcp-e2e" });
        var id = rendered["production"]!["id"]!.GetValue<string>();
        Assert.Contains(rendered["production"]!["state"]!.GetValue<string>(), new[] { "QUEUED", "RUNNING" });

        var notes = new ProgressNotes();
        var done = Structured(await client.CallToolAsync("wait_for_production", new Dictionary<string, object?> { ["id"] = id, ["timeoutSeconds"] = 240 }, notes));
        Assert.True(done["finished"]!.GetValue<bool>(), $"wait ended early: {done}");
        Assert.Equal("SUCCEEDED", done["state"]!.GetValue<string>());
        Assert.Equal("Hello agents", done["transcript"]!.GetValue<string>());
        Assert.Null(done["production"]!["canvas"]);
        // The wait reports the production's progress as MCP progress notifications, rising to 1 at the end.
        await Wait.UntilAsync(() => Task.FromResult(notes.Values.Any(v => v.Progress == 1)), TimeSpan.FromSeconds(10), "a progress notification of 1");
        Assert.All(notes.Values, v => Assert.Equal(1, v.Total));
        Assert.Equal(notes.Values.Select(v => v.Progress).Order(), notes.Values.Select(v => v.Progress));
        Assert.Contains(notes.Values, v => v.Progress == 1 && v.Message!.StartsWith("SUCCEEDED", StringComparison.Ordinal));

        var file = Path.Combine(Farm.DataDirectory, $"mcp-{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(file, await Farm.Http.GetByteArrayAsync(done["url"]!.GetValue<string>()));
        var facts = await MediaFacts.ProbeAsync(file);
        Assert.Contains("mp4", facts.FormatName, StringComparison.Ordinal);
        Assert.Equal("h264", facts.VideoCodec);
        Assert.Equal((320, 240), (facts.Width, facts.Height));
        Assert.InRange(facts.Duration, 1 - 1.0 / 25, 1 + 1.0 / 25);

        var got = await CallOkAsync(client, "get_production", new JsonObject { ["id"] = id });
        Assert.Equal("mcp-e2e", got["production"]!["displayName"]!.GetValue<string>());
        var listed = await CallOkAsync(client, "list_productions", new JsonObject { ["state"] = "SUCCEEDED", ["pageSize"] = 50 });
        Assert.Contains(listed["productions"]!.AsArray(), p => p!["id"]!.GetValue<string>() == id);
    }

    [Fact]
    public async Task Mcp_PlanOnlyKey_Plans_ButRenderIsAToolError_WithScopeMissing()
    {
        await using var client = await ConnectAsync(await CreateKeyAsync("mcp-plan-" + Unique(), ["PLAN"]));
        var planned = await CallOkAsync(client, "plan_canvas", new JsonObject { ["canvas"] = OneSecond(), ["skipPreviews"] = true });

        var refused = await CallErrorAsync(client, "render_plan", new JsonObject { ["id"] = planned["plan"]!["id"]!.GetValue<string>() });
        Assert.Equal(("PERMISSION_DENIED", "SCOPE_MISSING"), (refused["code"]!.GetValue<string>(), refused["reason"]!.GetValue<string>()));
        Assert.Equal("RENDER", refused["metadata"]!["scope"]!.GetValue<string>());
        Assert.Contains("RENDER scope", refused["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var direct = await CallErrorAsync(client, "render_canvas", new JsonObject { ["canvas"] = OneSecond() });
        Assert.Equal("SCOPE_MISSING", direct["reason"]!.GetValue<string>());
        Assert.Equal("SCOPE_MISSING", (await CallErrorAsync(client, "list_productions", new JsonObject()))["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Mcp_MissingOrRevokedKey_Is401_AndARevokedKeyLosesItsOpenClient()
    {
        using (var anonymous = Farm.HttpFor(null))
        {
            var (status, reason) = await PostInitializeAsync(anonymous);
            Assert.Equal((HttpStatusCode.Unauthorized, "API_KEY_MISSING"), (status, reason));
        }

        // Stateless: a plain POST of tools/list with a key answers without a session (what docs/mcp.md's curl does).
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", Encoding.UTF8, "application/json") })
        {
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("text/event-stream");
            using var listed = await Farm.Http.SendAsync(request);
            var text = await listed.Content.ReadAsStringAsync();
            Assert.True(listed.StatusCode == HttpStatusCode.OK, $"tools/list answered {listed.StatusCode}: {text}");
            Assert.Contains("\"wait_for_production\"", text, StringComparison.Ordinal);
        }

        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(null));

        var (key, keyId) = await CreateKeyWithIdAsync("mcp-revoked-" + Unique(), ["RENDER"]);
        await using var client = await ConnectAsync(key);
        await CallOkAsync(client, "list_templates", new JsonObject());

        var (revoked, _) = await Rest.SendAsync(Farm.Http, HttpMethod.Delete, $"/v1/apiKeys/{keyId}");
        Assert.Equal(HttpStatusCode.OK, revoked);
        // Each MCP request is authenticated on its own: the connected client is refused from now on.
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => client.CallToolAsync("list_templates", new Dictionary<string, object?>()).AsTask());
        Assert.Contains("401", failure.ToString(), StringComparison.Ordinal);
        using var http = Farm.HttpFor(key);
        Assert.Equal((HttpStatusCode.Unauthorized, "API_KEY_INVALID"), await PostInitializeAsync(http));
        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(key));
    }

    [Theory]
    [InlineData("""{"width":320,"height":240,"segments":[{"color":{"color":"#000000"},"duration":"long"}]}""", "INVALID_TYPE", "canvas.segments[0].duration")]
    [InlineData("""{"width":320,"height":240,"segments":[{"colour":{"color":"#000000"},"duration":1}]}""", "UNKNOWN_FIELD", "canvas.segments[0].colour")]
    [InlineData("""{"width":320,"height":240,"segments":[{"text":{"text":"hi","position":"MIDDLE"},"duration":1}]}""", "INVALID_ENUM", "canvas.segments[0].text.position")]
    [InlineData("""{"width":5000,"height":240,"segments":[{"color":{"color":"#000000"},"duration":1}]}""", null, "canvas.width")]
    public async Task Mcp_MalformedCanvas_IsAToolError_NamingTheFieldPath(string canvas, string? reason, string field)
    {
        await using var client = await ConnectAsync(Farm.AdminKey);
        foreach (var tool in new[] { "plan_canvas", "render_canvas" })
        {
            var error = await CallErrorAsync(client, tool, new JsonObject { ["canvas"] = JsonNode.Parse(canvas), ["skipPreviews"] = tool == "plan_canvas" ? true : null });
            Assert.Equal("INVALID_ARGUMENT", error["code"]!.GetValue<string>());
            Assert.Equal(field, error["field"]!.GetValue<string>());
            Assert.Contains(error["violations"]!.AsArray(), v => v!["field"]!.GetValue<string>() == field);
            if (reason is not null)
            {
                Assert.Equal(reason, error["reason"]!.GetValue<string>());
            }
        }
    }

    [Fact]
    public async Task Mcp_WaitIsBounded_HoldsAStreamSlot_AndCancelEndsIt()
    {
        // At most one stream open: a wait holds it, a second wait meanwhile is refused like a second SSE stream.
        var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/apiKeys", Rest.Json(new
        {
            tenant = "mcp-streams-" + Unique(),
            scopes = new[] { "RENDER" },
            rateLimits = new { maxStreams = 1 },
        }));
        Assert.Equal(HttpStatusCode.OK, status);
        await using var client = await ConnectAsync(body!["key"]!.GetValue<string>());
        // No node carries this label: the production stays QUEUED until it is cancelled.
        var started = await CallOkAsync(client, "render_canvas", new JsonObject
        {
            ["canvas"] = OneSecond(),
            ["placement"] = new JsonObject { ["required"] = new JsonObject { ["labels"] = new JsonObject { ["pool"] = "nowhere-" + Unique() } } },
        });
        var id = started["production"]!["id"]!.GetValue<string>();
        var early = await CallOkAsync(client, "wait_for_production", new JsonObject { ["id"] = id, ["timeoutSeconds"] = 0.2 });
        Assert.Equal((false, "QUEUED"), (early["finished"]!.GetValue<bool>(), early["state"]!.GetValue<string>()));

        var holding = CallAsync(client, "wait_for_production", new JsonObject { ["id"] = id, ["timeoutSeconds"] = 120 });
        JsonNode? refused = null;
        await Wait.UntilAsync(async () =>
        {
            // A probe that reached the facade first took the only slot and the long wait was refused: start it again.
            if (holding.IsCompleted)
            {
                holding = CallAsync(client, "wait_for_production", new JsonObject { ["id"] = id, ["timeoutSeconds"] = 120 });
                await Task.Delay(100);
            }

            var second = await CallAsync(client, "wait_for_production", new JsonObject { ["id"] = id, ["timeoutSeconds"] = 0 });
            refused = second.IsError == true ? Structured(second)["error"] : null;
            return refused is not null;
        }, TimeSpan.FromSeconds(30), "a second wait refused while the first holds the key's only stream");
        Assert.Equal(("RESOURCE_EXHAUSTED", "RATE_LIMITED", "streams"), (refused!["code"]!.GetValue<string>(), refused["reason"]!.GetValue<string>(), refused["metadata"]!["budget"]!.GetValue<string>()));

        var cancelled = await CallOkAsync(client, "cancel_production", new JsonObject { ["id"] = id });
        Assert.Equal("CANCELLED", cancelled["production"]!["state"]!.GetValue<string>());
        var ended = Structured(await holding);
        Assert.Equal((true, "CANCELLED"), (ended["finished"]!.GetValue<bool>(), ended["state"]!.GetValue<string>()));
        // The slot is free again once the wait answered.
        var after = await CallOkAsync(client, "wait_for_production", new JsonObject { ["id"] = id, ["timeoutSeconds"] = 5 });
        Assert.True(after["finished"]!.GetValue<bool>());

        var missing = await CallErrorAsync(client, "get_production", new JsonObject { ["id"] = "nope" });
        Assert.Equal(("NOT_FOUND", "PRODUCTION_NOT_FOUND"), (missing["code"]!.GetValue<string>(), missing["reason"]!.GetValue<string>()));
        var tooLong = await CallErrorAsync(client, "wait_for_production", new JsonObject { ["id"] = id, ["timeoutSeconds"] = 100000 });
        Assert.Equal(("OUT_OF_RANGE", "timeoutSeconds"), (tooLong["reason"]!.GetValue<string>(), tooLong["field"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Mcp_WritesDrawOnTheKeysWriteBucket_ReadsOnTheirOwn()
    {
        // A key allowed one write a minute plans once; the second plan is refused like a second REST write.
        var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/apiKeys", Rest.Json(new
        {
            tenant = "mcp-limited-" + Unique(),
            scopes = new[] { "PLAN" },
            rateLimits = new { requestsPerMinute = 1, burst = 1 },
        }));
        Assert.Equal(HttpStatusCode.OK, status);
        await using var limited = await ConnectAsync(body!["key"]!.GetValue<string>());
        await CallOkAsync(limited, "plan_canvas", new JsonObject { ["canvas"] = OneSecond(), ["skipPreviews"] = true });
        var throttled = await CallErrorAsync(limited, "plan_canvas", new JsonObject { ["canvas"] = OneSecond(), ["skipPreviews"] = true });
        Assert.Equal(("RESOURCE_EXHAUSTED", "RATE_LIMITED"), (throttled["code"]!.GetValue<string>(), throttled["reason"]!.GetValue<string>()));
        Assert.Equal("writes", throttled["metadata"]!["budget"]!.GetValue<string>());
        await CallOkAsync(limited, "list_templates", new JsonObject());
    }

    [Fact]
    public async Task Mcp_AssetUpload_AndTemplateRender_GoThroughTheTools()
    {
        var tenant = "mcp-assets-" + Unique();
        var key = await CreateKeyAsync(tenant, ["RENDER"]);
        await using var client = await ConnectAsync(key);
        using var http = Farm.HttpFor(key);

        var png = await Assets.PngAsync(Farm, "#D04010");
        var asset = (await CallOkAsync(client, "create_asset_upload", new JsonObject { ["contentType"] = "image/png", ["sizeBytes"] = png.Length }))["asset"]!;
        using (var put = await Assets.PutAsync(Farm.Http, asset, png, "image/png"))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var assetCanvas = JsonNode.Parse(Rest.Json(Assets.Canvas(asset["id"]!.GetValue<string>())))!;
        await CallOkAsync(client, "plan_canvas", new JsonObject { ["canvas"] = assetCanvas, ["skipPreviews"] = true });
        var unknown = JsonNode.Parse(Rest.Json(Assets.Canvas("0123456789abcdef0123456789abcdef")))!;
        var missing = await CallErrorAsync(client, "plan_canvas", new JsonObject { ["canvas"] = unknown, ["skipPreviews"] = true });
        Assert.Equal("canvas.segments[0].image.src", missing["field"]!.GetValue<string>());

        var (status, template) = await Rest.SendAsync(http, HttpMethod.Post, "/v1/templates", Rest.Json(new
        {
            displayName = "mcp card",
            canvas = new
            {
                width = 160,
                height = 120,
                segments = new object[]
                {
                    new { image = new { src = $"asset://{asset["id"]!.GetValue<string>()}" }, duration = 1 },
                    new { text = new { text = "{{TITLE}}", fontSize = 14, color = "#FFFFFF" }, start = 0 },
                },
            },
            output = new { quality = "DRAFT" },
            fields = new object[] { new { name = "TITLE", type = "TEXT", required = true } },
        }));
        Assert.True(status == HttpStatusCode.OK, $"create template answered {status}: {template}");
        var templateId = template!["id"]!.GetValue<string>();
        var listed = await CallOkAsync(client, "list_templates", new JsonObject());
        Assert.Equal("TITLE", listed["templates"]!.AsArray().Single(t => t!["id"]!.GetValue<string>() == templateId)!["fields"]![0]!["name"]!.GetValue<string>());

        var unfilled = await CallErrorAsync(client, "render_template", new JsonObject { ["id"] = templateId });
        Assert.Equal("INVALID_ARGUMENT", unfilled["code"]!.GetValue<string>());
        Assert.Contains("TITLE", unfilled["field"]!.GetValue<string>(), StringComparison.Ordinal);

        var rendered = await CallOkAsync(client, "render_template", new JsonObject { ["id"] = templateId, ["merge"] = new JsonObject { ["TITLE"] = "Hi" } });
        var done = await CallOkAsync(client, "wait_for_production", new JsonObject { ["id"] = rendered["production"]!["id"]!.GetValue<string>(), ["timeoutSeconds"] = 240 });
        Assert.Equal("SUCCEEDED", done["state"]!.GetValue<string>());
        var file = Path.Combine(Farm.DataDirectory, $"mcp-template-{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(file, await Farm.Http.GetByteArrayAsync(done["url"]!.GetValue<string>()));
        var frame = await Frame.AtAsync(file, 0.5, 160, 120);
        Assert.True(frame.Near(20, 100, "#D04010"), $"asset pixel was {frame.Pixel(20, 100)}");
    }

    private sealed class ProgressNotes : IProgress<ProgressNotificationValue>
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<ProgressNotificationValue> _values = new();

        public IReadOnlyList<ProgressNotificationValue> Values => [.. _values];

        public void Report(ProgressNotificationValue value) => _values.Enqueue(value);
    }

    private static JsonObject OneSecond(double seconds = 1) => new()
    {
        ["width"] = 160,
        ["height"] = 120,
        ["segments"] = new JsonArray(new JsonObject { ["color"] = new JsonObject { ["color"] = "#336699" }, ["duration"] = seconds }),
    };

    private async Task<McpClient> ConnectAsync(string? key)
    {
        var options = new HttpClientTransportOptions
        {
            Endpoint = new Uri(new Uri(Farm.Host.RestUrl), "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = key is null ? null : new Dictionary<string, string> { ["Authorization"] = $"Bearer {key}" },
        };
        return await McpClient.CreateAsync(new HttpClientTransport(options));
    }

    private static async Task<JsonNode> CallOkAsync(McpClient client, string tool, JsonObject arguments)
    {
        var result = await CallAsync(client, tool, arguments);
        Assert.True(result.IsError != true, $"{tool} answered an error: {Text(result)}");
        return Structured(result);
    }

    /// <summary>The error object of a tool error (the call itself succeeds: the API's refusal is its result).</summary>
    private static async Task<JsonNode> CallErrorAsync(McpClient client, string tool, JsonObject arguments)
    {
        var result = await CallAsync(client, tool, arguments);
        Assert.True(result.IsError == true, $"{tool} did not fail: {Text(result)}");
        // Clients that read only the text content get the same JSON.
        Assert.Equal(Structured(result).ToJsonString(), JsonNode.Parse(Text(result))!.ToJsonString());
        return Structured(result)["error"]!;
    }

    private static async Task<CallToolResult> CallAsync(McpClient client, string tool, JsonObject arguments)
    {
        var args = arguments.Where(a => a.Value is not null)
            .ToDictionary(a => a.Key, a => (object?)JsonSerializer.SerializeToElement(a.Value));
        return await client.CallToolAsync(tool, args);
    }

    private static JsonNode Structured(CallToolResult result) => JsonNode.Parse(result.StructuredContent!.Value.GetRawText())!;

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "$ref" ? [p.Value!.GetValue<string>()] : References(p.Value)),
        JsonArray a => a.SelectMany(References),
        _ => [],
    };

    private static async Task<(HttpStatusCode Status, string? Reason)> PostInitializeAsync(HttpClient http)
    {
        const string initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(initialize, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        var reason = body?["details"]?.AsArray().Select(d => d?["reason"]?.GetValue<string>()).FirstOrDefault(r => r is not null);
        return (response.StatusCode, reason);
    }

    private async Task<string> CreateKeyAsync(string tenant, string[] scopes) => (await CreateKeyWithIdAsync(tenant, scopes)).Key;

    private async Task<(string Key, string Id)> CreateKeyWithIdAsync(string tenant, string[] scopes)
    {
        var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/apiKeys", Rest.Json(new { tenant, scopes }));
        Assert.True(status == HttpStatusCode.OK, $"create key answered {status}: {body}");
        return (body!["key"]!.GetValue<string>(), body["apiKey"]!["id"]!.GetValue<string>());
    }

    private static string Unique() => Guid.NewGuid().ToString("N")[..8];
}
