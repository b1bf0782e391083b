using System.Net;
using System.Text;
using System.Text.Json;

namespace RenderFarm.Cli.Api;

/// <summary>
/// An error answer from the farm: its HTTP status and the google.rpc.Status body (code, message, and
/// details carrying ErrorInfo.reason and BadRequest.fieldViolations).
/// </summary>
internal sealed class ApiError : CliException
{
    private ApiError(HttpStatusCode status, string? reason, string detail, IReadOnlyList<(string Field, string Description)> fields, string body)
        : base(ExitCodeFor(status), Describe(status, reason, detail, fields))
    {
        Status = status;
        Reason = reason;
        Fields = fields;
        Body = body;
    }

    public HttpStatusCode Status { get; }

    /// <summary>ErrorInfo.reason, e.g. SCOPE_MISSING; null when the body had none.</summary>
    public string? Reason { get; }

    public IReadOnlyList<(string Field, string Description)> Fields { get; }

    /// <summary>The body as the farm sent it (printed by --json).</summary>
    public string Body { get; }

    public static ApiError From(HttpStatusCode status, string body)
    {
        string? reason = null;
        var detail = string.IsNullOrWhiteSpace(body) ? $"HTTP {(int)status} {status}" : body.Trim();
        var fields = new List<(string, string)>();
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                {
                    detail = m.GetString()!;
                }

                foreach (var d in root.TryGetProperty("details", out var ds) && ds.ValueKind == JsonValueKind.Array ? ds.EnumerateArray() : default)
                {
                    if (d.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String)
                    {
                        reason ??= r.GetString();
                        if (d.TryGetProperty("metadata", out var md) && md.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.String
                            && fields.Count == 0)
                        {
                            fields.Add((f.GetString()!, ""));
                        }
                    }

                    if (d.TryGetProperty("fieldViolations", out var fv) && fv.ValueKind == JsonValueKind.Array)
                    {
                        fields.Clear();
                        fields.AddRange(fv.EnumerateArray().Select(v => (Text(v, "field"), Text(v, "description"))));
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not a Status body (a proxy's page, say): the raw text is the message.
        }

        return new ApiError(status, reason, detail, fields, body);
    }

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    private static string Describe(HttpStatusCode status, string? reason, string detail, IReadOnlyList<(string Field, string Description)> fields)
    {
        var text = new StringBuilder();
        text.Append(reason ?? $"HTTP {(int)status}").Append(": ").Append(detail);
        foreach (var (field, description) in fields)
        {
            text.Append('\n').Append("  field ").Append(field);
            if (description.Length > 0 && !detail.Contains(description, StringComparison.Ordinal))
            {
                text.Append(": ").Append(description);
            }
        }

        return text.ToString();
    }

    public static int ExitCodeFor(HttpStatusCode status) => (int)status switch
    {
        401 or 403 => ExitCodes.Auth,
        404 => ExitCodes.NotFound,
        429 => ExitCodes.RateLimited,
        >= 500 => ExitCodes.Unavailable,
        _ => ExitCodes.Invalid,
    };
}
