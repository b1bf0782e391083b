using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using RenderFarm.Contracts;

namespace RenderFarm.Facade.OpenApi;

/// <summary>
/// Request and response examples of the OpenAPI document: a real canvas that renders with no media
/// of its own. Each example is parsed into its proto message and formatted back, so an example
/// that no longer fits the contract fails the document (and its test), never a reader.
/// </summary>
internal static class OpenApiExamples
{
    private const string Canvas = """
        {"preset": "HD", "fps": 30, "backgroundColor": "#0B1020", "segments": [
          {"color": {"color": "#1E3A8A"}, "duration": 3},
          {"text": {"text": "Hello from RenderFarm", "position": "CENTER", "fontSize": 64, "color": "#FFFFFF", "animation": "POP"}, "start": 0.5, "duration": 2.5},
          {"speech": {"text": "Welcome to the render farm.", "voice": "en"}, "start": 0.5}]}
        """;

    private const string Output = """{"format": "MP4", "videoCodec": "H264", "quality": "STANDARD"}""";

    private const string Production = """
        {"id": "8f14e45fceea167a5a36dedd4bea2543", "name": "productions/8f14e45fceea167a5a36dedd4bea2543",
         "displayName": "hello", "state": "QUEUED", "progress": 0, "priority": "NORMAL",
         "createTime": "2026-12-02T10:00:00Z"}
        """;

    private const string Succeeded = """
        {"id": "8f14e45fceea167a5a36dedd4bea2543", "name": "productions/8f14e45fceea167a5a36dedd4bea2543",
         "displayName": "hello", "state": "SUCCEEDED", "progress": 1, "stage": "done", "priority": "NORMAL",
         "result": {"url": "http://127.0.0.1:8080/objects/productions/8f14e45fceea167a5a36dedd4bea2543/output.mp4?expires=1796292000&sig=3b2f…",
                    "urlExpireTime": "2026-12-02T11:00:00Z", "sizeBytes": "412733", "duration": 3, "width": 1280, "height": 720,
                    "fps": 30, "contentType": "video/mp4"},
         "createTime": "2026-12-02T10:00:00Z", "startTime": "2026-12-02T10:00:01Z", "endTime": "2026-12-02T10:00:03Z",
         "processingTime": "1.850s", "attempts": 1, "renderedSeconds": 3}
        """;

    private static readonly Dictionary<string, string> Requests = new(StringComparer.Ordinal)
    {
        ["CreateProduction"] = $$"""{"canvas": {{Canvas}}, "output": {{Output}}, "displayName": "hello", "requestId": "5f0c8f4e-6a51-4c1e-9d0b-2a8f5a3c7e10"}""",
        ["CreatePlan"] = $$"""{"canvas": {{Canvas}}, "output": {{Output}}, "previewTimes": [1.5]}""",
        ["RenderPlan"] = """{"fingerprint": "sha256:ff8aa4477422fab42f34d9c37ed29e6c974ff8cadcb6ad48b772abbafc0bc6df", "displayName": "hello"}""",
        ["CreateTemplate"] = """
            {"displayName": "Sale banner", "description": "A title card with the product's name.",
             "canvas": {"preset": "HD", "fps": 30, "segments": [
               {"color": {"color": "{{BRAND}}"}, "duration": 3},
               {"text": {"text": "{{TITLE}}", "position": "CENTER", "fontSize": 72, "color": "#FFFFFF"}, "duration": 3}]},
             "fields": [
               {"name": "TITLE", "type": "TEXT", "required": true, "description": "The headline."},
               {"name": "BRAND", "type": "COLOR", "default": "#1E3A8A", "description": "Background colour."}]}
            """,
        ["UpdateTemplate"] = """
            {"displayName": "Sale banner (autumn)", "etag": "W/\"3\"",
             "canvas": {"preset": "HD", "fps": 30, "segments": [{"text": {"text": "{{TITLE}}", "position": "CENTER", "fontSize": 72, "color": "#FFFFFF"}, "duration": 4}]}}
            """,
        ["RenderTemplate"] = """{"merge": {"TITLE": "Autumn sale: 30% off"}, "displayName": "autumn-sale", "requestId": "0b7d2f58-2c1e-4d7a-9a55-6f3e8c1d2b44"}""",
        ["PlanTemplate"] = """{"merge": {"TITLE": "Autumn sale: 30% off"}, "previewTimes": [1]}""",
        ["CreateAsset"] = """{"contentType": "image/png", "sizeBytes": "48213", "displayName": "logo.png"}""",
        ["BatchCreateAssets"] = """{"requests": [{"contentType": "image/png", "sizeBytes": "48213", "displayName": "logo.png"}, {"contentType": "audio/mpeg", "sizeBytes": "1834221", "displayName": "music.mp3"}]}""",
        ["CreateApiKey"] = """{"tenant": "acme", "scopes": ["PLAN", "RENDER"], "displayName": "ci pipeline", "spendLimitSeconds": 36000}""",
        ["UpdateApiKey"] = """{"displayName": "ci pipeline", "spendLimitSeconds": 72000}""",
        ["DrainNode"] = """{"drainTimeout": "600s"}""",
    };

    private static readonly Dictionary<string, string> Responses = new(StringComparer.Ordinal)
    {
        ["CreateProduction"] = Production,
        ["RenderPlan"] = Production,
        ["RenderTemplate"] = Production,
        ["GetProduction"] = Succeeded,
        ["CreatePlan"] = $$"""
            {"id": "01a234bcf3207d199dbb3c2de28daf5a", "name": "plans/01a234bcf3207d199dbb3c2de28daf5a",
             "canvas": {{Canvas}}, "output": {{Output}}, "warnings": [],
             "estimate": {"duration": 3, "frames": "90", "renderSeconds": 1.3, "costUnits": 1.3, "secondsPerUnit": 1},
             "preview": {"state": "READY", "frames": [{"time": 1.5, "url": "http://127.0.0.1:8080/objects/plans/01a234bcf3207d199dbb3c2de28daf5a/preview-1.5.jpg?expires=1796292000&sig=9c1d…"}]},
             "fingerprint": "sha256:ff8aa4477422fab42f34d9c37ed29e6c974ff8cadcb6ad48b772abbafc0bc6df",
             "createTime": "2026-12-02T10:00:00Z", "expireTime": "2026-12-03T10:00:00Z"}
            """,
    };

    // An error of each HTTP status, as the facade sends it.
    private static readonly Dictionary<string, string> Errors = new(StringComparer.Ordinal)
    {
        ["400"] = $$$"""{"code": 3, "message": "canvas.segments[0].duration: must be a finite number > 0.", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "{{{ErrorReasons.OutOfRange}}}", "domain": "renderfarm.dev", "metadata": {"field": "canvas.segments[0].duration"}}, {"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [{"field": "canvas.segments[0].duration", "description": "must be a finite number > 0.", "reason": "{{{ErrorReasons.OutOfRange}}}"}]}]}""",
        ["401"] = $$$"""{"code": 16, "message": "send an API key: 'Authorization: Bearer rf_…'", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "{{{ErrorReasons.ApiKeyMissing}}}", "domain": "renderfarm.dev"}]}""",
        ["403"] = $$$"""{"code": 7, "message": "this key lacks the RENDER scope that CreateProduction needs", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "{{{ErrorReasons.ScopeMissing}}}", "domain": "renderfarm.dev", "metadata": {"scope": "RENDER", "method": "CreateProduction"}}]}""",
        ["404"] = $$$"""{"code": 5, "message": "production 'prd_nope' does not exist", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "{{{ErrorReasons.ProductionNotFound}}}", "domain": "renderfarm.dev", "metadata": {"resource": "productions/prd_nope"}}]}""",
        ["409"] = $$$"""{"code": 6, "message": "requestId 5f0c8f4e-6a51-4c1e-9d0b-2a8f5a3c7e10 was used for a different request", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "{{{ErrorReasons.RequestIdReused}}}", "domain": "renderfarm.dev"}]}""",
        ["429"] = $$$"""{"code": 8, "message": "this key made more than 100 writes at once or 600 a minute; retry in 2 s", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "{{{ErrorReasons.RateLimited}}}", "domain": "renderfarm.dev", "metadata": {"budget": "writes"}}, {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "2s"}]}""",
        ["503"] = $$$"""{"code": 14, "message": "the farm's state store is unavailable; nothing was queued", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "{{{ErrorReasons.StateUnavailable}}}", "domain": "renderfarm.dev"}]}""",
    };

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithTypeRegistry(TypeRegistry.FromFiles(
        Google.Rpc.ErrorDetailsReflection.Descriptor, Google.Rpc.StatusReflection.Descriptor)));

    /// <summary>The request body example of a method, checked against its body's message; null when there is none.</summary>
    public static JsonNode? Request(MethodDescriptor method) =>
        Requests.TryGetValue(method.Name, out var json) ? Checked(json, BodyOf(method)) : null;

    /// <summary>The response example of a method, checked against its output message; null when there is none.</summary>
    public static JsonNode? Response(MethodDescriptor method) =>
        Responses.TryGetValue(method.Name, out var json) ? Checked(json, method.OutputType) : null;

    /// <summary>The error body example of an HTTP status, checked against google.rpc.Status.</summary>
    public static JsonNode? Error(string status) =>
        Errors.TryGetValue(status, out var json) ? Checked(json, Google.Rpc.Status.Descriptor) : null;

    // The message a method's REST body holds: the named field's, or the request's for "*".
    private static MessageDescriptor BodyOf(MethodDescriptor method)
    {
        var rule = method.GetOptions()?.GetExtension(Google.Api.AnnotationsExtensions.Http);
        return rule?.Body is { Length: > 0 } name && name != "*" ? method.InputType.FindFieldByName(name).MessageType : method.InputType;
    }

    // Parsing refuses an unknown field or enum value: the example is what the API accepts.
    private static JsonNode Checked(string json, MessageDescriptor type)
    {
        Parser.Parse(json, type);
        return JsonNode.Parse(json)!;
    }
}
