using System.Text.Json.Nodes;
using Google.Protobuf.Reflection;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using RenderFarm.Contracts.V1;
using RenderFarm.Facade.Assets;
using RenderFarm.Facade.Plans;
using RenderFarm.Facade.Productions;
using RenderFarm.Facade.RateLimiting;
using RenderFarm.Facade.Templates;

namespace RenderFarm.Facade.Mcp;

/// <summary>
/// The tools <c>/mcp</c> offers. Each one is an RPC of the public API: its arguments are that RPC's
/// request message (schema from the proto descriptors), its scope and budget are that RPC's, and it
/// runs the same service implementation gRPC and REST callers reach.
/// </summary>
internal sealed class McpTools
{
    private const string Plans = "/renderfarm.v1.PlanService/";
    private const string Productions = "/renderfarm.v1.ProductionService/";
    private const string Templates = "/renderfarm.v1.TemplateService/";
    private const string Assets = "/renderfarm.v1.AssetService/";
    private const string PreviewWait = "waitForPreviewsSeconds";
    private const string Timeout = "timeoutSeconds";

    private static readonly TimeSpan DefaultPreviewWait = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private readonly Dictionary<string, McpTool> _tools;

    public McpTools(IOptions<McpOptions> options)
    {
        var max = options.Value.MaxWait;
        var previewWait = new McpSchemas.Extra(PreviewWait, McpSchemas.Seconds(
            "Seconds to wait for the preview stills to be READY before answering (0 answers at once; the stills may then be PENDING: call get_plan later).",
            DefaultPreviewWait.TotalSeconds, max.TotalSeconds));
        McpTool[] all =
        [
            Tool("plan_canvas", "Plan a canvas", $"""
                Phase 1 of 2: checks a canvas without rendering it. Returns the plan: its id and fingerprint (for render_plan),
                the canvas with every start and duration made explicit, warnings (each with a code and the field path it
                changed, e.g. TRANSITION_CLAMPED at canvas.segments[1].transition.duration), an estimate (duration, frames,
                render seconds, cost units) and preview stills (JPEG URLs at previewTimes, or spread over the video).
                An invalid canvas is a tool error naming the field path and a reason code. Needs the PLAN or RENDER scope.

                {McpCanvasGuide.Rules}

                Example arguments:
                {McpCanvasGuide.Example}
                """,
                McpSchemas.For(CreatePlanRequest.Descriptor, extras: previewWait), Plans + "CreatePlan", Budget.Write,
                readOnly: false, idempotent: true,
                async call =>
                {
                    var plan = await call.InvokeAsync<PlanApi, CreatePlanRequest, Plan>(
                        call.Request<CreatePlanRequest>(CreatePlanRequest.Descriptor, PreviewWait), (api, r, c) => api.CreatePlan(r, c));
                    return PlanResult(await McpWaits.PreviewsAsync(call, plan, call.Seconds(PreviewWait, DefaultPreviewWait, max)));
                }),
            Tool("get_plan", "Get a plan", """
                Reads a plan made by plan_canvas, with fresh preview still URLs once they are READY. Needs the PLAN or RENDER scope.
                """,
                McpSchemas.For(GetPlanRequest.Descriptor, extras: previewWait with { Schema = McpSchemas.Seconds(
                    "Seconds to wait for the preview stills to be READY (0 answers at once).", 0, max.TotalSeconds) }),
                Plans + "GetPlan", Budget.Read, readOnly: true, idempotent: true,
                async call =>
                {
                    var plan = await call.InvokeAsync<PlanApi, GetPlanRequest, Plan>(
                        call.Request<GetPlanRequest>(GetPlanRequest.Descriptor, PreviewWait), (api, r, c) => api.GetPlan(r, c));
                    return PlanResult(await McpWaits.PreviewsAsync(call, plan, call.Seconds(PreviewWait, TimeSpan.Zero, max)));
                }),
            Tool("render_plan", "Render a plan", """
                Phase 2 of 2: renders a plan from plan_canvas as a production and returns it (state QUEUED or RUNNING); follow it
                with wait_for_production. Pass the plan's fingerprint to be sure the video rendered is the one planned
                (PLAN_FINGERPRINT_MISMATCH otherwise). To change the canvas, plan it again. Needs the RENDER scope.
                """,
                McpSchemas.For(RenderPlanRequest.Descriptor, exclude: ["canvas"]), Plans + "RenderPlan", Budget.Write,
                readOnly: false, idempotent: false,
                async call => ProductionResult(await call.InvokeAsync<PlanApi, RenderPlanRequest, Production>(
                    call.Request<RenderPlanRequest>(RenderPlanRequest.Descriptor), (api, r, c) => api.RenderPlan(r, c)))),
            Tool("render_canvas", "Render a canvas", $"""
                Renders a canvas in one step (no plan) as a production and returns it (state QUEUED or RUNNING); follow it with
                wait_for_production. Prefer plan_canvas then render_plan to see warnings and the estimate first. A requestId
                (UUID) makes a retry return the first production instead of rendering twice. Needs the RENDER scope.

                {McpCanvasGuide.Rules}

                Example arguments:
                {McpCanvasGuide.Example}
                """,
                McpSchemas.For(CreateProductionRequest.Descriptor), Productions + "CreateProduction", Budget.Write,
                readOnly: false, idempotent: false,
                async call => ProductionResult(await call.InvokeAsync<ProductionApi, CreateProductionRequest, Production>(
                    call.Request<CreateProductionRequest>(CreateProductionRequest.Descriptor), (api, r, c) => api.CreateProduction(r, c)))),
            Tool("render_template", "Render a template", """
                Renders a saved template (see list_templates) with merge values for its {{NAME}} fields, e.g.
                {"id":"…","merge":{"TITLE":"Spring sale","PRICE":19.99}}, and returns the production; follow it with
                wait_for_production. A missing or mistyped merge value is a tool error naming it. Needs the RENDER scope.
                """,
                McpSchemas.For(RenderTemplateRequest.Descriptor), Templates + "RenderTemplate", Budget.Write,
                readOnly: false, idempotent: false,
                async call => ProductionResult(await call.InvokeAsync<TemplateApi, RenderTemplateRequest, Production>(
                    call.Request<RenderTemplateRequest>(RenderTemplateRequest.Descriptor), (api, r, c) => api.RenderTemplate(r, c)))),
            Tool("get_production", "Get a production", """
                Reads a production: state, progress, stage, and once SUCCEEDED its result (download URL minted fresh, size,
                duration, transcript, sidecar and still URLs), or its error once FAILED. Needs the RENDER scope.
                """,
                McpSchemas.For(GetProductionRequest.Descriptor), Productions + "GetProduction", Budget.Read,
                readOnly: true, idempotent: true,
                async call => new JsonObject { ["production"] = McpCall.Json(await call.InvokeAsync<ProductionApi, GetProductionRequest, Production>(
                    call.Request<GetProductionRequest>(GetProductionRequest.Descriptor), (api, r, c) => api.GetProduction(r, c))) }),
            Tool("wait_for_production", "Wait for a production", $"""
                Waits until a production ends (SUCCEEDED, FAILED or CANCELLED) or timeoutSeconds pass, whichever is first, and
                returns its state; once SUCCEEDED also the output URL, poster, sidecar and still URLs and the transcript (every
                spoken or captioned word with its times). finished=false means the wait timed out: call it again.
                Holds one of the key's stream slots while it waits. Needs the RENDER scope.
                """,
                McpSchemas.For(WatchProductionRequest.Descriptor, exclude: ["after_sequence"], extras: new McpSchemas.Extra(Timeout, McpSchemas.Seconds(
                    "Seconds to wait at most before answering with the production as it is.", DefaultTimeout.TotalSeconds, max.TotalSeconds))),
                Productions + "WatchProduction", Budget.Stream, readOnly: true, idempotent: true,
                call => McpWaits.ProductionAsync(call, call.Request<WatchProductionRequest>(WatchProductionRequest.Descriptor, Timeout), call.Seconds(Timeout, DefaultTimeout, max))),
            Tool("list_productions", "List productions", """
                Lists the caller's productions, newest first, optionally only those in one state; pass nextPageToken back as
                pageToken for the next page. Canvases are left out (get_production has them). Needs the RENDER scope.
                """,
                McpSchemas.For(ListProductionsRequest.Descriptor), Productions + "ListProductions", Budget.Read,
                readOnly: true, idempotent: true,
                async call =>
                {
                    var page = await call.InvokeAsync<ProductionApi, ListProductionsRequest, ListProductionsResponse>(
                        call.Request<ListProductionsRequest>(ListProductionsRequest.Descriptor), (api, r, c) => api.ListProductions(r, c));
                    return new JsonObject
                    {
                        ["productions"] = new JsonArray([.. page.Productions.Select(p => (JsonNode)WithoutCanvas(p))]),
                        ["nextPageToken"] = page.NextPageToken,
                    };
                }),
            Tool("cancel_production", "Cancel a production", """
                Cancels a QUEUED or RUNNING production and returns it CANCELLED; its reserved seconds are refunded. A production
                that already SUCCEEDED or FAILED is a tool error (PRODUCTION_FINISHED). Needs the RENDER scope.
                """,
                McpSchemas.For(CancelProductionRequest.Descriptor), Productions + "CancelProduction", Budget.Write,
                readOnly: false, idempotent: true, destructive: true, run: async call => ProductionResult(await call.InvokeAsync<ProductionApi, CancelProductionRequest, Production>(
                    call.Request<CancelProductionRequest>(CancelProductionRequest.Descriptor), (api, r, c) => api.CancelProduction(r, c)))),
            Tool("list_templates", "List templates", """
                Lists the caller's saved templates with their merge fields (name, type, default), for render_template. Needs the
                PLAN or RENDER scope.
                """,
                McpSchemas.For(ListTemplatesRequest.Descriptor), Templates + "ListTemplates", Budget.Read,
                readOnly: true, idempotent: true,
                async call => McpCall.Json(await call.InvokeAsync<TemplateApi, ListTemplatesRequest, ListTemplatesResponse>(
                    call.Request<ListTemplatesRequest>(ListTemplatesRequest.Descriptor), (api, r, c) => api.ListTemplates(r, c)))),
            Tool("create_asset_upload", "Create an asset upload", """
                Records an asset (an image, video, audio or font file) and returns its id and a presigned uploadUrl: send the
                file's bytes there with one HTTP PUT carrying the declared Content-Type, before uploadUrlExpireTime. Canvases then
                use it as "asset://{id}" in a src. Needs the PLAN or RENDER scope.
                """,
                McpSchemas.For(CreateAssetRequest.Descriptor), Assets + "CreateAsset", Budget.Write,
                readOnly: false, idempotent: false,
                async call => new JsonObject { ["asset"] = McpCall.Json(await call.InvokeAsync<AssetApi, CreateAssetRequest, Asset>(
                    call.Request<CreateAssetRequest>(CreateAssetRequest.Descriptor), (api, r, c) => api.CreateAsset(r, c))) }),
        ];
        _tools = all.ToDictionary(t => t.Name, StringComparer.Ordinal);
        Definitions = [.. all.Select(t => t.Definition)];
    }

    /// <summary>What tools/list answers.</summary>
    public IList<Tool> Definitions { get; }

    public McpTool? Find(string name) => _tools.GetValueOrDefault(name);

    private static McpTool Tool(string name, string title, string description, System.Text.Json.JsonElement schema, string method, Budget budget,
        bool readOnly, bool idempotent, Func<McpCall, Task<JsonObject>> run, bool destructive = false) =>
        new(new Tool
        {
            Name = name,
            Title = title,
            Description = description.Trim(),
            InputSchema = schema,
            Annotations = new ToolAnnotations
            {
                Title = title,
                ReadOnlyHint = readOnly,
                DestructiveHint = destructive,
                IdempotentHint = idempotent,
                OpenWorldHint = false,
            },
        }, method, budget, run);

    private static JsonObject PlanResult(Plan plan) => new()
    {
        ["plan"] = McpCall.Json(plan),
        ["previewUrls"] = new JsonArray([.. plan.Preview?.Frames.Where(f => f.Url.Length > 0).Select(f => (JsonNode)f.Url) ?? []]),
    };

    private static JsonObject ProductionResult(Production production) => new() { ["production"] = WithoutCanvas(production) };

    /// <summary>A production without its canvas, which the caller sent and which can be long.</summary>
    public static JsonObject WithoutCanvas(Production production)
    {
        var json = McpCall.Json(production);
        json.Remove("canvas");
        return json;
    }
}
