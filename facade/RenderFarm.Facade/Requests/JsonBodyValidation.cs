using System.Text.Json;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http.Features;
using RenderFarm.Contracts;

namespace RenderFarm.Facade.Requests;

/// <summary>
/// Checks the JSON body of every transcoded route before transcoding reads it. Transcoding drops
/// unknown fields silently and answers any parse failure with one generic message; this names the
/// field at fault with a stable reason (MALFORMED_JSON, UNKNOWN_FIELD, INVALID_TYPE, INVALID_ENUM,
/// ONEOF_CONFLICT) in the same google.rpc.Status body the services' own errors have.
/// </summary>
internal sealed class JsonBodyValidation(RequestDelegate next)
{
    // Kestrel's default MaxRequestBodySize, for servers (TestServer) that report no limit.
    private const long DefaultBodyLimit = 30_000_000;

    // System.Text.Json's default depth, which transcoding's own parser uses too.
    private const int MaxDepth = 64;

    // Bodies past this spill to a temporary file instead of memory.
    private const int BufferThreshold = 64 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var target = BodyTarget(context);
        if (target is null)
        {
            await next(context);
            return;
        }

        if (IsEmpty(context.Request))
        {
            // `curl -X POST …/id:cancel` sends no body: read it as the empty message, as grpc-gateway does.
            context.Request.ContentType = "application/json";
            context.Request.Body = new MemoryStream("{}"u8.ToArray());
            context.Request.ContentLength = 2;
            await next(context);
            return;
        }

        if (!context.Request.HasJsonContentType())
        {
            await WriteAsync(context, Problems.InvalidArgument("", ErrorReasons.UnsupportedContentType,
                $"the body must be JSON (content-type application/json), not '{context.Request.ContentType}'"));
            return;
        }

        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        var limit = sizeFeature is null ? DefaultBodyLimit : sizeFeature.MaxRequestBodySize;
        if (context.Request.ContentLength > limit)
        {
            // Kestrel answers 413 when transcoding reads past its limit.
            await next(context);
            return;
        }

        if (limit is { } cap)
        {
            context.Request.EnableBuffering(BufferThreshold, cap);
        }
        else
        {
            context.Request.EnableBuffering(BufferThreshold);
        }

        var violations = await CheckAsync(context.Request.Body, target.Value, context.RequestAborted);
        context.Request.Body.Position = 0;
        if (violations.Count == 0)
        {
            await next(context);
            return;
        }

        await WriteAsync(context, Problems.InvalidArgument(violations));
    }

    private static bool IsEmpty(HttpRequest request) =>
        request.ContentLength == 0 || (request.ContentLength is null && !request.Headers.TransferEncoding.Any(v => v?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true));

    private static Task WriteAsync(HttpContext context, Grpc.Core.RpcException error)
    {
        context.Response.StatusCode = HttpStatus.FromGrpc(error.StatusCode);
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(error.ToJson(), context.RequestAborted);
    }

    /// <summary>Parses and walks a body; never throws for any content.</summary>
    internal static async Task<IReadOnlyList<Problems.Violation>> CheckAsync(Stream body, BodyType target, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(body, new JsonDocumentOptions { MaxDepth = MaxDepth }, cancellationToken);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, byte {e.BytePositionInLine + 1}" : "";
            var path = e.Path is { Length: > 1 } p ? p.TrimStart('$').TrimStart('.') : "";
            return [new(path, ErrorReasons.MalformedJson, $"the body is not valid JSON{where}: {FirstSentence(e.Message)}")];
        }

        using (document)
        {
            return target.Field is { } field
                ? JsonBodyWalker.Check(document.RootElement, field)
                : JsonBodyWalker.Check(document.RootElement, target.Message);
        }
    }

    /// <summary>What a transcoded route's body holds: the whole input message ("*") or one of its fields.</summary>
    internal readonly record struct BodyType(MessageDescriptor Message, FieldDescriptor? Field);

    private static BodyType? BodyTarget(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is not { } metadata)
        {
            return null;
        }

        var input = metadata.MethodDescriptor.InputType;
        return metadata.HttpRule.Body switch
        {
            null or "" => null,
            "*" when input.FullName != "google.api.HttpBody" => new BodyType(input, null),
            // google.api.HttpBody takes any content type: not JSON to check.
            var name when input.FindFieldByName(name) is { } field
                && !(field.FieldType == FieldType.Message && field.MessageType.FullName == "google.api.HttpBody") => new BodyType(input, field),
            _ => null,
        };
    }

    // System.Text.Json appends its own "LineNumber: … | BytePositionInLine: …" after the first sentence.
    private static string FirstSentence(string message) =>
        message.IndexOf(" Path:", StringComparison.Ordinal) is var i and > 0 ? message[..i] : message.Split(" LineNumber:")[0];
}
