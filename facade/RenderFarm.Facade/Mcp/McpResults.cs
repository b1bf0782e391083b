using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Grpc.Core;
using ModelContextProtocol.Protocol;
using RenderFarm.Contracts;
using RenderFarm.Facade.Requests;

namespace RenderFarm.Facade.Mcp;

/// <summary>
/// Tool results: a JSON object as structured content and, for clients that read only text, the
/// same JSON as a text block. An API error is a tool error (<c>isError</c>) whose object carries
/// what the REST error body does: the gRPC code, the stable reason, the message, the field path and
/// every field violation.
/// </summary>
internal static partial class McpResults
{
    public static CallToolResult Success(JsonObject result) => Result(result, isError: false);

    public static CallToolResult Error(RpcException e)
    {
        var info = e.GetErrorInfo();
        var error = new JsonObject
        {
            ["code"] = CodeName(e.StatusCode),
            ["httpStatus"] = HttpStatus.FromGrpc(e.StatusCode),
            ["reason"] = info?.Reason ?? CodeName(e.StatusCode),
            ["message"] = e.Status.Detail,
        };
        if (info?.Metadata.TryGetValue("field", out var field) == true)
        {
            error["field"] = field;
        }

        if (e.GetBadRequest() is { FieldViolations.Count: > 0 } bad)
        {
            error["violations"] = new JsonArray([.. bad.FieldViolations.Select(v => (JsonNode)new JsonObject
            {
                ["field"] = v.Field,
                ["reason"] = v.Reason,
                ["description"] = v.Description,
            })]);
        }

        var metadata = info?.Metadata.Where(m => m.Key != "field").ToList() ?? [];
        if (metadata.Count > 0)
        {
            error["metadata"] = new JsonObject(metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)JsonValue.Create(m.Value))));
        }

        return Result(new JsonObject { ["error"] = error }, isError: true);
    }

    /// <summary>A gRPC code as its canonical UPPER_SNAKE name (PermissionDenied → PERMISSION_DENIED).</summary>
    public static string CodeName(StatusCode code) => Words().Replace(code.ToString(), "$1_$2").ToUpperInvariant();

    private static CallToolResult Result(JsonObject result, bool isError) => new()
    {
        Content = [new TextContentBlock { Text = result.ToJsonString() }],
        StructuredContent = JsonSerializer.SerializeToElement(result),
        IsError = isError,
    };

    [GeneratedRegex("([a-z])([A-Z])")]
    private static partial Regex Words();
}
