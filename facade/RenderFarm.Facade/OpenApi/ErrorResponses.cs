using Microsoft.OpenApi;
using RenderFarm.Contracts;

namespace RenderFarm.Facade.OpenApi;

/// <summary>
/// The error responses every operation can return, each a google.rpc.Status with the reasons it
/// carries, and the rate-limit headers of answered and refused calls, as shared components.
/// </summary>
internal static class ErrorResponses
{
    private const string Status = "google.rpc.Status";

    // (HTTP status, component name, description) of each error an operation may answer.
    private static readonly (string Code, string Name, string Description)[] Errors =
    [
        ("400", "BadRequest", "INVALID_ARGUMENT or FAILED_PRECONDITION: the request is malformed or cannot apply now. ErrorInfo.reason names the problem (e.g. INVALID_CANVAS, PLAN_EXPIRED) and BadRequest.fieldViolations name each bad field by path (`canvas.segments[2].duration`)."),
        ("401", "Unauthenticated", $"UNAUTHENTICATED: no `Authorization: Bearer` key ({ErrorReasons.ApiKeyMissing}), or one that is malformed, unknown or revoked ({ErrorReasons.ApiKeyInvalid})."),
        ("403", "PermissionDenied", $"PERMISSION_DENIED: the key lacks the scope the method needs ({ErrorReasons.ScopeMissing})."),
        ("404", "NotFound", "NOT_FOUND: no such resource for the caller's tenant (another tenant's resources are not found either)."),
        ("409", "Conflict", $"ALREADY_EXISTS: the same `requestId` came with a different request ({ErrorReasons.RequestIdReused}); or ABORTED: the `etag` is stale ({ErrorReasons.TemplateEtagMismatch})."),
        ("429", "TooManyRequests", $"RESOURCE_EXHAUSTED: the key's rate limit ({ErrorReasons.RateLimited}; wait `Retry-After` seconds), a tenant quota ({ErrorReasons.QuotaExceeded}), the key's monthly spend limit ({ErrorReasons.SpendCapExceeded}) or the tenant's queue ({ErrorReasons.QueueLimitExceeded}). RetryInfo and QuotaFailure details say which."),
        ("503", "Unavailable", $"UNAVAILABLE: the farm's state store does not answer ({ErrorReasons.StateUnavailable}); nothing was changed, retry with backoff."),
    ];

    /// <summary>Adds the error responses, the rate-limit headers and examples to the document's components.</summary>
    public static void AddComponents(OpenApiDocument document)
    {
        document.Components!.Headers ??= new Dictionary<string, IOpenApiHeader>();
        foreach (var (name, description) in new[]
                 {
                     ("X-RateLimit-Limit", "Size of the key's bucket this call drew on (its burst)."),
                     ("X-RateLimit-Remaining", "Requests left in that bucket now."),
                     ("X-RateLimit-Reset", "Seconds until that bucket is full again."),
                     ("Retry-After", "Seconds to wait before the call can succeed."),
                 })
        {
            document.Components.Headers[name] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } };
        }

        document.Components.Responses ??= new Dictionary<string, IOpenApiResponse>();
        foreach (var (code, name, description) in Errors)
        {
            var response = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = new OpenApiSchemaReference(Status, document), Example = OpenApiExamples.Error(code) },
                },
            };
            if (code == "429")
            {
                response.Headers = RateLimitHeaders(document);
                response.Headers["Retry-After"] = new OpenApiHeaderReference("Retry-After", document);
            }

            document.Components.Responses[name] = response;
        }
    }

    /// <summary>The rate-limit headers a call answered under a rate limit carries.</summary>
    public static Dictionary<string, IOpenApiHeader> RateLimitHeaders(OpenApiDocument document) => new()
    {
        ["X-RateLimit-Limit"] = new OpenApiHeaderReference("X-RateLimit-Limit", document),
        ["X-RateLimit-Remaining"] = new OpenApiHeaderReference("X-RateLimit-Remaining", document),
        ["X-RateLimit-Reset"] = new OpenApiHeaderReference("X-RateLimit-Reset", document),
    };

    /// <summary>Adds the error responses an API operation can return: 404 only with path ids or a field naming a resource, 409 only where a request id or etag can conflict.</summary>
    public static void Add(OpenApiOperation operation, OpenApiDocument document, bool notFound, bool conflict)
    {
        operation.Responses ??= [];
        foreach (var (code, name, _) in Errors)
        {
            if ((code == "404" && !notFound) || (code == "409" && !conflict))
            {
                continue;
            }

            operation.Responses[code] = new OpenApiResponseReference(name, document);
        }
    }
}
