using System.Net;
using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>Templates over REST and gRPC: save, page, update with a mask, render and plan with merge values, per tenant.</summary>
public abstract partial class FarmSuite
{
    private const string Injection = "\"},{\"video\":{\"src\":\"http://evil\"}}";

    // TITLE (required text) over a BG color whose duration SECS sets; OTHER is a text field with a default.
    private static string TitleCard(string displayName = "title card") => Rest.Json(new
    {
        displayName,
        description = "a colored card with a headline",
        canvas = new
        {
            width = 160,
            height = 120,
            fps = 25,
            segments = new object[]
            {
                new { color = new { color = "{{BG}}" }, duration = 1 },
                new { text = new { text = "{{TITLE}}", fontSize = 14, color = "#FFFFFF" }, start = 0 },
                new { text = new { text = "{{OTHER}}", fontSize = 10, color = "#FFFF00", position = "BOTTOM" }, start = 0 },
            },
        },
        output = new { quality = "DRAFT" },
        fields = new object[]
        {
            new { name = "TITLE", type = "TEXT", required = true, description = "the headline" },
            new { name = "BG", type = "COLOR", @default = "#203040" },
            new { name = "SECS", type = "NUMBER", @default = 1 },
            new { name = "OTHER", type = "TEXT", @default = "other" },
        },
        bindings = new object[] { new { field = "SECS", path = "canvas.segments[0].duration" } },
    });

    [Fact]
    public async Task Templates_CreateGetListUpdate_ThenRender_ProductionShowsTheMergedCanvas()
    {
        using var http = Farm.HttpFor(await CreateKeyAsync(Farm, "templates-" + Unique(), ["RENDER"]));
        var created = await SendOkAsync(http, HttpMethod.Post, "/v1/templates", TitleCard());
        var id = created["id"]!.GetValue<string>();
        Assert.Equal($"templates/{id}", created["name"]!.GetValue<string>());
        Assert.Equal("{{TITLE}}", created["canvas"]!["segments"]![1]!["text"]!["text"]!.GetValue<string>());
        Assert.Equal(1, created["fields"]![2]!["default"]!.GetValue<double>());
        Assert.Equal(created.ToJsonString(), (await SendOkAsync(http, HttpMethod.Get, $"/v1/templates/{id}")).ToJsonString());

        // Three templates, two per page, newest first.
        var second = (await SendOkAsync(http, HttpMethod.Post, "/v1/templates", TitleCard("second")))["id"]!.GetValue<string>();
        var third = (await SendOkAsync(http, HttpMethod.Post, "/v1/templates", TitleCard("third")))["id"]!.GetValue<string>();
        var page = await SendOkAsync(http, HttpMethod.Get, "/v1/templates?pageSize=2");
        Assert.Equal([third, second], page["templates"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()));
        var last = await SendOkAsync(http, HttpMethod.Get, $"/v1/templates?pageSize=2&pageToken={Uri.EscapeDataString(page["nextPageToken"]!.GetValue<string>())}");
        Assert.Equal([id], last["templates"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()));
        Assert.True(string.IsNullOrEmpty(last["nextPageToken"]?.GetValue<string>()), "the last page has no next token");

        // Only the masked fields change; the canvas sent along is not applied.
        var etag = created["etag"]!.GetValue<string>();
        var updated = await SendOkAsync(http, HttpMethod.Patch, $"/v1/templates/{id}?updateMask=displayName,description",
            Rest.Json(new { displayName = "renamed", description = "v2", etag, canvas = new { width = 64, height = 64 } }));
        Assert.Equal(("renamed", "v2"), (updated["displayName"]!.GetValue<string>(), updated["description"]!.GetValue<string>()));
        Assert.Equal(created["canvas"]!.ToJsonString(), updated["canvas"]!.ToJsonString());
        Assert.NotEqual(etag, updated["etag"]!.GetValue<string>());
        Assert.Equal("renamed", (await SendOkAsync(http, HttpMethod.Get, $"/v1/templates/{id}"))["displayName"]!.GetValue<string>());
        var (status, body) = await Rest.SendAsync(http, HttpMethod.Patch, $"/v1/templates/{id}?updateMask=description", Rest.Json(new { description = "v3", etag }));
        Assert.True(status == HttpStatusCode.Conflict, $"a stale etag answered {status}: {body}");
        Assert.Equal("TEMPLATE_ETAG_MISMATCH", Reason(body));
        (status, body) = await Rest.SendAsync(http, HttpMethod.Patch, $"/v1/templates/{id}?updateMask=createTime", Rest.Json(new { description = "v3" }));
        Assert.Equal((HttpStatusCode.BadRequest, "updateMask"), (status, Info(body)!["metadata"]!["field"]!.GetValue<string>()));

        var production = await SendOkAsync(http, HttpMethod.Post, $"/v1/templates/{id}:render",
            Rest.Json(new { merge = new { TITLE = "Hello Ada", SECS = 2 }, displayName = "from a template", labels = new { run = "e2e" } }));
        Assert.Equal(id, production["labels"]!["renderfarm.dev/template"]!.GetValue<string>());
        var final = (await Rest.ReadEventsAsync(http, production["id"]!.GetValue<string>()))[^1].Data["production"]!;
        Assert.Equal("SUCCEEDED", final["state"]!.GetValue<string>());
        var rendered = await Rest.GetAsync(http, production["id"]!.GetValue<string>());
        var segments = rendered["canvas"]!["segments"]!.AsArray();
        Assert.Equal("Hello Ada", segments[1]!["text"]!["text"]!.GetValue<string>());
        Assert.Equal("other", segments[2]!["text"]!["text"]!.GetValue<string>());
        Assert.Equal("#203040", segments[0]!["color"]!["color"]!.GetValue<string>());
        Assert.Equal(2, segments[0]!["duration"]!.GetValue<double>());
        Assert.InRange(rendered["result"]!["duration"]!.GetValue<double>(), 2 - 1.0 / 25, 2 + 1.0 / 25);
    }

    [Fact]
    public async Task TemplateMergeValues_AreData_InjectionAndPlaceholdersStayLiteral()
    {
        var id = (await SendOkAsync(Farm.Http, HttpMethod.Post, "/v1/templates", TitleCard()))["id"]!.GetValue<string>();
        var title = Injection + " {{OTHER}}";
        var production = await SendOkAsync(Farm.Http, HttpMethod.Post, $"/v1/templates/{id}:render",
            Rest.Json(new { merge = new { TITLE = title, OTHER = "{{TITLE}}" } }));

        var segments = production["canvas"]!["segments"]!.AsArray();
        Assert.Equal(3, segments.Count);
        Assert.Equal(title, segments[1]!["text"]!["text"]!.GetValue<string>());
        Assert.Equal("{{TITLE}}", segments[2]!["text"]!["text"]!.GetValue<string>());
        Assert.DoesNotContain(segments, s => s!["video"] is not null);
        Assert.Equal("SUCCEEDED", (await Rest.ReadEventsAsync(Farm.Http, production["id"]!.GetValue<string>()))[^1].Data["production"]!["state"]!.GetValue<string>());
    }

    public static TheoryData<string, string, string> WrongMerges => new()
    {
        { """{"TITLE":"t","NOPE":"x"}""", "merge.NOPE", "MERGE_FIELD_UNKNOWN" },
        { """{"BG":"#000000"}""", "merge.TITLE", "FIELD_REQUIRED" },
        { """{"TITLE":"t","SECS":"abc"}""", "merge.SECS", "INVALID_TYPE" },
        { """{"TITLE":"t","SECS":"NaN"}""", "merge.SECS", "OUT_OF_RANGE" },
        { """{"TITLE":"t","SUB":"s","SECS":0}""", "merge.SECS", "OUT_OF_RANGE" },
        { """{"TITLE":"t","BG":"blue"}""", "merge.BG", "INVALID_COLOR" },
        { """{"TITLE":"t","LOGO":"ftp://example.com/a.png"}""", "merge.LOGO", "INVALID_URL" },
        { """{"TITLE":"t","TITLE2":"x"}""", "merge.TITLE2", "MERGE_FIELD_UNKNOWN" },
        { """{"TITLE":"t"}""", "canvas.segments[3].text.text", "PLACEHOLDER_UNFILLED" },
    };

    [Theory]
    [MemberData(nameof(WrongMerges))]
    public async Task TemplateRenderAndPlan_WithWrongMerge_AreInvalid_NamingTheField(string merge, string field, string reason)
    {
        var template = JsonNode.Parse(TitleCard())!;
        var canvas = template["canvas"]!["segments"]!.AsArray();
        canvas.Add(new JsonObject { ["text"] = new JsonObject { ["text"] = "{{SUB}}" }, ["start"] = 0 });
        canvas.Add(new JsonObject { ["image"] = new JsonObject { ["src"] = "{{LOGO}}" }, ["duration"] = 1 });
        template["fields"]!.AsArray().Add(new JsonObject { ["name"] = "SUB" });
        template["fields"]!.AsArray().Add(new JsonObject { ["name"] = "LOGO", ["type"] = "URL", ["default"] = "https://example.com/logo.png" });
        var id = (await SendOkAsync(Farm.Http, HttpMethod.Post, "/v1/templates", template.ToJsonString()))["id"]!.GetValue<string>();
        var before = await QueuedCountAsync();

        foreach (var verb in new[] { "render", "plan" })
        {
            var json = verb == "plan" ? $$"""{"merge":{{merge}},"skipPreviews":true}""" : $$"""{"merge":{{merge}}}""";
            var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, $"/v1/templates/{id}:{verb}", json);
            Assert.True(status == HttpStatusCode.BadRequest, $":{verb} answered {status}: {body}");
            Assert.Equal((field, reason), (Info(body)!["metadata"]!["field"]!.GetValue<string>(), Reason(body)));
        }

        Assert.Equal(before, await QueuedCountAsync());
    }

    public static TheoryData<string, string, string> BrokenTemplates => new()
    {
        { "{{NOBODY}}", "template.canvas.segments[1].text.text", "FIELD_UNDECLARED" },
        { "path canvas.segments[7].duration", "template.bindings[0].path", "BINDING_PATH_INVALID" },
        { "path canvas.segments[1].text.text", "template.bindings[0].path", "BINDING_PATH_INVALID" },
        { "BG default red", "template.fields[1].default", "INVALID_COLOR" },
        { "OTHER as a color", "template.canvas.segments[0].color.color", "INVALID_COLOR" },
        { "SECS default -1", "template.canvas.segments[0].duration", "OUT_OF_RANGE" },
        { "UNUSED", "template.fields[4]", "FIELD_UNUSED" },
    };

    [Theory]
    [MemberData(nameof(BrokenTemplates))]
    public async Task BrokenTemplate_IsRefusedAtCreate_NamingTheField(string change, string field, string reason)
    {
        var template = JsonNode.Parse(TitleCard())!;
        var segments = template["canvas"]!["segments"]!;
        var fields = template["fields"]!.AsArray();
        switch (change)
        {
            case "{{NOBODY}}": segments[1]!["text"]!["text"] = "{{TITLE}} {{NOBODY}}"; break;
            case "BG default red": fields[1]!["default"] = "red"; break;
            case "OTHER as a color": segments[0]!["color"]!["color"] = "{{BG}}{{OTHER}}"; break;
            case "SECS default -1": fields[2]!["default"] = -1; break;
            case "UNUSED": fields.Add(new JsonObject { ["name"] = "UNUSED" }); break;
            default: template["bindings"]![0]!["path"] = change["path ".Length..]; break;
        }

        var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/templates", template.ToJsonString());
        Assert.True(status == HttpStatusCode.BadRequest, $"create answered {status}: {body}");
        Assert.Equal((field, reason), (Info(body)!["metadata"]!["field"]!.GetValue<string>(), Reason(body)));

        // An update that would break a stored template is refused the same way.
        var id = (await SendOkAsync(Farm.Http, HttpMethod.Post, "/v1/templates", TitleCard()))["id"]!.GetValue<string>();
        (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Patch, $"/v1/templates/{id}?updateMask=*", template.ToJsonString());
        Assert.Equal((HttpStatusCode.BadRequest, field), (status, Info(body)!["metadata"]!["field"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Templates_ArePerTenant_PlanKeysPlanButNotRender_AndDeletedOnesAreGone()
    {
        var tenant = "tpl-owner-" + Unique();
        using var owner = Farm.HttpFor(await CreateKeyAsync(Farm, tenant, ["RENDER"]));
        using var other = Farm.HttpFor(await CreateKeyAsync(Farm, "tpl-other-" + Unique(), ["RENDER"]));
        using var planner = Farm.HttpFor(await CreateKeyAsync(Farm, tenant, ["PLAN"]));
        var template = JsonNode.Parse(TitleCard())!;
        // A default the planner clamps: a 3 s fade between 1 s segments.
        template["canvas"]!["segments"]!.AsArray().Insert(1, new JsonObject
        {
            ["color"] = new JsonObject { ["color"] = "#000000" },
            ["duration"] = 1,
            ["transition"] = new JsonObject { ["kind"] = "FADE", ["duration"] = 0.5 },
        });
        template["fields"]!.AsArray().Add(new JsonObject { ["name"] = "FADE", ["type"] = "NUMBER", ["default"] = 3 });
        template["bindings"]!.AsArray().Add(new JsonObject { ["field"] = "FADE", ["path"] = "canvas.segments[1].transition.duration" });
        var id = (await SendOkAsync(owner, HttpMethod.Post, "/v1/templates", template.ToJsonString()))["id"]!.GetValue<string>();

        foreach (var (method, path) in new[]
        {
            (HttpMethod.Get, $"/v1/templates/{id}"),
            (HttpMethod.Patch, $"/v1/templates/{id}?updateMask=description"),
            (HttpMethod.Post, $"/v1/templates/{id}:render"),
            (HttpMethod.Post, $"/v1/templates/{id}:plan"),
            (HttpMethod.Delete, $"/v1/templates/{id}"),
        })
        {
            var (status, body) = await Rest.SendAsync(other, method, path, method == HttpMethod.Get || method == HttpMethod.Delete ? null : "{}");
            Assert.True(status == HttpStatusCode.NotFound, $"{method} {path} answered {status}: {body}");
            Assert.Equal("TEMPLATE_NOT_FOUND", Reason(body));
        }

        Assert.DoesNotContain(id, (await SendOkAsync(other, HttpMethod.Get, "/v1/templates")).ToJsonString(), StringComparison.Ordinal);

        // A PLAN key reads and plans; rendering and saving need RENDER.
        Assert.Equal(id, (await SendOkAsync(planner, HttpMethod.Get, $"/v1/templates/{id}"))["id"]!.GetValue<string>());
        var plan = await SendOkAsync(planner, HttpMethod.Post, $"/v1/templates/{id}:plan", Rest.Json(new { merge = new { TITLE = "planned" }, skipPreviews = true }));
        Assert.Equal("planned", plan["canvas"]!["segments"]![2]!["text"]!["text"]!.GetValue<string>());
        Assert.Contains(plan["warnings"]!.AsArray(), w => w!["code"]!.GetValue<string>() == "TRANSITION_CLAMPED"
            && w["path"]!.GetValue<string>() == "canvas.segments[1].transition.duration");
        foreach (var (method, path) in new[] { (HttpMethod.Post, $"/v1/templates/{id}:render"), (HttpMethod.Post, "/v1/templates"), (HttpMethod.Delete, $"/v1/templates/{id}") })
        {
            var (status, body) = await Rest.SendAsync(planner, method, path, method == HttpMethod.Delete ? null : Rest.Json(new { merge = new { TITLE = "x" } }));
            Assert.True(status == HttpStatusCode.Forbidden, $"{method} {path} with a PLAN key answered {status}: {body}");
            Assert.Equal(("SCOPE_MISSING", "RENDER"), (Reason(body), Info(body)!["metadata"]!["scope"]!.GetValue<string>()));
        }

        Assert.Equal(HttpStatusCode.OK, (await Rest.SendAsync(owner, HttpMethod.Delete, $"/v1/templates/{id}")).Status);
        var (gone, goneBody) = await Rest.SendAsync(owner, HttpMethod.Get, $"/v1/templates/{id}");
        Assert.Equal((HttpStatusCode.NotFound, "TEMPLATE_NOT_FOUND"), (gone, Reason(goneBody)));
        Assert.Equal(HttpStatusCode.NotFound, (await Rest.SendAsync(owner, HttpMethod.Delete, $"/v1/templates/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Rest.SendAsync(owner, HttpMethod.Post, $"/v1/templates/{id}:render", Rest.Json(new { merge = new { TITLE = "x" } }))).Status);
    }

    [Fact]
    public async Task Grpc_TemplateRoundTrip_RendersWithTypedMergeValues()
    {
        var client = new TemplateService.TemplateServiceClient(Farm.Grpc);
        var template = Google.Protobuf.JsonParser.Default.Parse<Template>(TitleCard("grpc"));
        var created = await client.CreateTemplateAsync(new CreateTemplateRequest { Template = template });
        Assert.Equal(created, await client.GetTemplateAsync(new GetTemplateRequest { Id = created.Id }));

        var production = await client.RenderTemplateAsync(new RenderTemplateRequest
        {
            Id = created.Id,
            Merge = { ["TITLE"] = Value.ForString("via gRPC"), ["SECS"] = Value.ForNumber(1.5) },
            RequestId = Guid.NewGuid().ToString(),
        });
        Assert.Equal("via gRPC", production.Canvas.Segments[1].Text.Text);
        Assert.Equal(1.5, production.Canvas.Segments[0].Duration);

        var e = await Assert.ThrowsAsync<RpcException>(() => client.RenderTemplateAsync(new RenderTemplateRequest
        {
            Id = created.Id,
            Merge = { ["TITLE"] = Value.ForString("x"), ["SECS"] = Value.ForNumber(double.PositiveInfinity) },
        }).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "merge.SECS"), (e.StatusCode, e.GetBadRequest()!.FieldViolations[0].Field));
        await client.DeleteTemplateAsync(new DeleteTemplateRequest { Id = created.Id });
        e = await Assert.ThrowsAsync<RpcException>(() => client.GetTemplateAsync(new GetTemplateRequest { Id = created.Id }).ResponseAsync);
        Assert.Equal((StatusCode.NotFound, ErrorReasons.TemplateNotFound), (e.StatusCode, e.GetErrorInfo()!.Reason));
    }

    private static async Task<JsonNode> SendOkAsync(HttpClient http, HttpMethod method, string path, string? json = null)
    {
        var (status, body) = await Rest.SendAsync(http, method, path, json);
        Assert.True(status == HttpStatusCode.OK, $"{method} {path} answered {status}: {body}");
        return body!;
    }
}
