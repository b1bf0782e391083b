using System.Text.RegularExpressions;
using Google.Api;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using RenderFarm.Contracts;

namespace RenderFarm.Facade.OpenApi;

/// <summary>
/// Adds every gRPC method mapped with JSON transcoding to the OpenAPI document, read from the
/// endpoints' <see cref="GrpcJsonTranscodingMetadata"/> (HttpRule + MethodDescriptor): whatever
/// services are mapped appear, with path and query parameters, request and response schemas from
/// the message descriptors, the google.rpc.Status error body and the bearer API-key scheme.
/// </summary>
internal sealed partial class TranscodingDocumentTransformer(EndpointDataSource endpoints) : IOpenApiDocumentTransformer
{
    private const string Bearer = "bearer";
    private const string ErrorResponse = "Error";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "RenderFarm API",
            Version = "v1",
            Description = "Programmatic video rendering: plans, productions and their live status. The same API is served over gRPC (renderfarm.v1); REST bodies use the proto3 JSON mapping.\n\n"
                + "Every call but the signed `/objects` URLs and the probes needs an API key (`Authorization: Bearer rf_…`). Errors are a google.rpc.Status whose ErrorInfo carries a stable `reason` and whose BadRequest names each bad field by path. "
                + "Rate-limited calls answer with `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`; a refused one is 429 with `Retry-After`.",
            License = new OpenApiLicense { Name = "Proprietary: self-hosted RenderFarm", Identifier = "LicenseRef-RenderFarm" },
        };
        document.Paths ??= [];
        AddProbes(document);
        document.Components ??= new OpenApiComponents();
        var schemas = new ProtoSchemas(document);
        foreach (var (rule, method) in Transcoded(endpoints))
        {
            var (verb, template) = Route(rule);
            var path = PathParameter().Replace(template, "{$1}");
            if (!document.Paths.TryGetValue(path, out var item))
            {
                item = new OpenApiPathItem();
                document.Paths[path] = item;
            }

            var pathItem = (OpenApiPathItem)item;
            pathItem.Operations ??= [];
            pathItem.Operations[verb] = Operation(rule, method, template, schemas, document);
        }

        AddErrors(schemas, document);
        ErrorResponses.AddComponents(document);
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        foreach (var (name, schema) in schemas.Components)
        {
            document.Components.Schemas[name] = schema;
        }

        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "rf_…",
            Description = "API key: `Authorization: Bearer rf_…`. Keys carry scopes (plan, render, admin) and a tenant.",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] }];
        var tags = Transcoded(endpoints).Select(p => p.Method.Service).DistinctBy(s => s.FullName)
            .Select(s => new OpenApiTag { Name = TagOf(s), Description = $"{ProtoComments.Of(s.FullName) ?? s.Name} (gRPC service `{s.FullName}`, transcoded to REST.)" })
            .ToList();
        tags.Add(new OpenApiTag { Name = ObjectsTag, Description = "Signed download and upload URLs of the filesystem object store (with S3, URLs point at the bucket instead)." });
        tags.Add(new OpenApiTag { Name = HealthTag, Description = "Liveness and readiness probes for Kubernetes and load balancers; no API key." });
        document.Tags = new HashSet<OpenApiTag>(tags);
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        if (context.ApplicationServices.GetService<RenderFarm.Storage.IObjectStore>() is RenderFarm.Storage.FileSystem.FileSystemObjectStore)
        {
            AddObjects(document);
        }

        DescribeHandWritten(document);
        return Task.CompletedTask;
    }

    /// <summary>Every transcoded (HttpRule, method) pair the app maps, once each.</summary>
    public static IEnumerable<(HttpRule Rule, MethodDescriptor Method)> Transcoded(EndpointDataSource endpoints) =>
        endpoints.Endpoints
            .Select(e => e.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>())
            .OfType<GrpcJsonTranscodingMetadata>()
            .Select(m => (m.HttpRule, m.MethodDescriptor))
            .DistinctBy(p => (p.HttpRule.ToString(), p.MethodDescriptor.FullName));

    /// <summary>The verb and path template of a rule.</summary>
    public static (HttpMethod Verb, string Template) Route(HttpRule rule) => rule.PatternCase switch
    {
        HttpRule.PatternOneofCase.Get => (HttpMethod.Get, rule.Get),
        HttpRule.PatternOneofCase.Post => (HttpMethod.Post, rule.Post),
        HttpRule.PatternOneofCase.Put => (HttpMethod.Put, rule.Put),
        HttpRule.PatternOneofCase.Delete => (HttpMethod.Delete, rule.Delete),
        HttpRule.PatternOneofCase.Patch => (HttpMethod.Patch, rule.Patch),
        _ => (new HttpMethod(rule.Custom.Kind), rule.Custom.Path),
    };

    private static OpenApiOperation Operation(HttpRule rule, MethodDescriptor method, string template, ProtoSchemas schemas, OpenApiDocument document)
    {
        var input = method.InputType;
        var pathFields = PathParameter().Matches(template).Select(m => m.Groups[1].Value).ToHashSet();
        var comment = ProtoComments.Of(method.FullName);
        var operation = new OpenApiOperation
        {
            OperationId = method.Name,
            Summary = Summary(comment) ?? $"{method.Service.Name}.{method.Name}",
            Description = $"{comment}\n\ngRPC: `{method.Service.FullName}/{method.Name}`.".TrimStart(),
            Tags = new HashSet<OpenApiTagReference> { new(TagOf(method.Service), document) },
            Parameters = [],
            Responses = [],
        };
        foreach (var name in pathFields)
        {
            var field = FindField(input, name);
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Path,
                Required = true,
                Schema = field is null ? new OpenApiSchema { Type = JsonSchemaType.String } : schemas.Field(field),
            });
        }

        if (rule.Body == "*")
        {
            // A body is required only when a field outside the path is (cancel and drain need none).
            var required = input.Fields.InDeclarationOrder().Any(f => !pathFields.Contains(f.Name) && IsRequired(f));
            operation.RequestBody = Body(schemas.Object(input, pathFields), required, OpenApiExamples.Request(method));
        }
        else
        {
            var bodyField = rule.Body.Length > 0 ? input.FindFieldByName(rule.Body) : null;
            if (bodyField is not null)
            {
                operation.RequestBody = Body(schemas.Field(bodyField), required: true, OpenApiExamples.Request(method));
            }

            // Without a body "*", every other top-level field may come as a query parameter.
            foreach (var field in input.Fields.InDeclarationOrder())
            {
                if (pathFields.Contains(field.Name) || field == bodyField || (field.FieldType == FieldType.Message && !field.IsRepeated && !IsScalarWrapper(field)))
                {
                    continue;
                }

                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = field.JsonName,
                    In = ParameterLocation.Query,
                    Schema = schemas.Field(field),
                    Explode = field.IsRepeated,
                });
            }
        }

        var output = rule.ResponseBody.Length > 0 ? schemas.Field(method.OutputType.FindFieldByName(rule.ResponseBody)) : schemas.Reference(method.OutputType);
        var ok = new OpenApiResponse { Description = "OK", Content = new Dictionary<string, OpenApiMediaType>() };
        if (method.IsServerStreaming)
        {
            ok.Description = $"A stream of {method.OutputType.Name} messages as newline-delimited JSON (one JSON object per line), until the stream ends.";
            ok.Content["application/x-ndjson"] = new OpenApiMediaType { Schema = output };
        }
        else
        {
            ok.Content["application/json"] = new OpenApiMediaType { Schema = output, Example = OpenApiExamples.Response(method) };
        }

        ok.Headers = ErrorResponses.RateLimitHeaders(document);
        operation.Responses["200"] = ok;
        // What the facade answers for every call: a malformed request, no or a bad key, a key
        // without the scope, a spent rate limit or quota, a store or scheduler that is down.
        ErrorResponses.Add(operation, document, notFound: pathFields.Count > 0 || NamesAResource(input, pathFields), conflict: CanConflict(input, rule, verb: Route(rule).Verb));
        operation.Responses["default"] = new OpenApiResponseReference(ErrorResponse, document);
        return operation;
    }

    private static OpenApiRequestBody Body(IOpenApiSchema schema, bool required, System.Text.Json.Nodes.JsonNode? example) => new()
    {
        Required = required,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema, Example = example } },
    };

    private static bool IsRequired(FieldDescriptor field) =>
        field.GetOptions()?.GetExtension(FieldBehaviorExtensions.FieldBehavior)?.Contains(FieldBehavior.Required) == true;

    // 404 without a path id: a field outside the path names a resource (google.api.resource_reference)
    // the method looks up, as CreateWatchToken's production.
    private static bool NamesAResource(MessageDescriptor input, HashSet<string> pathFields) =>
        input.Fields.InDeclarationOrder().Any(f => !pathFields.Contains(f.Name) && f.GetOptions()?.GetExtension(ResourceExtensions.ResourceReference) is not null);

    // 409: an idempotency key reused with another body (ALREADY_EXISTS), or a stale etag on an update (ABORTED).
    private static bool CanConflict(MessageDescriptor input, HttpRule rule, HttpMethod verb)
    {
        var body = rule.Body is { Length: > 0 } name && name != "*" ? input.FindFieldByName(name)?.MessageType : null;
        return new[] { input, body }.OfType<MessageDescriptor>()
            .Any(m => m.FindFieldByName("request_id") is not null || (verb == HttpMethod.Patch && m.FindFieldByName("etag") is not null));
    }

    /// <summary>The tag of a service's operations: what it serves, plural ("Productions", "API keys").</summary>
    internal static string TagOf(Google.Protobuf.Reflection.ServiceDescriptor service) => service.Name switch
    {
        "KeyService" => "API keys",
        "UsageService" => "Usage",
        var name when name.EndsWith("Service", StringComparison.Ordinal) => name[..^"Service".Length] + "s",
        var name => name,
    };

    private const string ObjectsTag = "Objects";
    private const string HealthTag = "Health";

    // The first sentence of a comment, without its full stop: an operation's summary.
    private static string? Summary(string? comment)
    {
        if (string.IsNullOrWhiteSpace(comment))
        {
            return null;
        }

        var end = comment.IndexOf(". ", StringComparison.Ordinal);
        var sentence = end > 0 ? comment[..end] : comment.TrimEnd('.');
        return sentence.Length <= 120 ? sentence : sentence[..117] + "…";
    }

    private static FieldDescriptor? FindField(MessageDescriptor message, string path)
    {
        FieldDescriptor? field = null;
        foreach (var part in path.Split('.'))
        {
            field = message?.FindFieldByName(part);
            message = field?.FieldType == FieldType.Message ? field.MessageType : null!;
        }

        return field;
    }

    private static bool IsScalarWrapper(FieldDescriptor field) =>
        field.MessageType.FullName is "google.protobuf.Timestamp" or "google.protobuf.Duration" or "google.protobuf.FieldMask"
            || (field.MessageType.FullName.StartsWith("google.protobuf.", StringComparison.Ordinal) && field.MessageType.Name.EndsWith("Value", StringComparison.Ordinal));

    // google.rpc.Status with the detail messages this API sends (each an Any with its @type).
    private static void AddErrors(ProtoSchemas schemas, OpenApiDocument document)
    {
        var details = new List<IOpenApiSchema>();
        foreach (var detail in new[] { ErrorInfo.Descriptor, BadRequest.Descriptor, RetryInfo.Descriptor, QuotaFailure.Descriptor })
        {
            // One closed object with the detail's fields and its @type: an allOf of two closed
            // objects (additionalProperties false in each) would refuse every real detail.
            var schema = schemas.Object(detail, new HashSet<string>());
            schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
            schema.Properties["@type"] = new OpenApiSchema { Type = JsonSchemaType.String, Const = $"type.googleapis.com/{detail.FullName}" };
            schema.Required ??= new HashSet<string>();
            schema.Required.Add("@type");
            schema.Description = $"{detail.FullName}";
            details.Add(schema);
        }

        var status = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "google.rpc.Status: the gRPC code, a message and details. Every error carries an ErrorInfo (stable reason, domain renderfarm.dev); field errors add a BadRequest naming each field by path.",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["code"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "google.rpc.Code, e.g. 3 INVALID_ARGUMENT, 5 NOT_FOUND." },
                ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["details"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { AnyOf = details } },
            },
        };
        document.Components!.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas["google.rpc.Status"] = status;
        document.Components.Responses ??= new Dictionary<string, IOpenApiResponse>();
        document.Components.Responses[ErrorResponse] = new OpenApiResponse
        {
            Description = "An error: the HTTP status matches the gRPC code (INVALID_ARGUMENT 400, NOT_FOUND 404, FAILED_PRECONDITION 400, ALREADY_EXISTS 409, UNAVAILABLE 503…).",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = new OpenApiSchemaReference("google.rpc.Status", document) },
            },
        };
    }

    // /healthz and /readyz are health-check endpoints, which the default generator does not see:
    // listed as it listed the route handlers they replaced (ids, summaries and security follow).
    private static void AddProbes(OpenApiDocument document)
    {
        foreach (var (probe, id, summary, description, healthy) in new[]
                 {
                     ("/healthz", "Healthz", "Liveness probe", "200 while the process serves requests.", "ok"),
                     ("/readyz", "Readyz", "Readiness probe", "200 when Redis (and the object store) answer; 503 while they do not, so traffic goes elsewhere.", "ready"),
                 })
        {
            var body = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "`status` and the checks' data (e.g. `redisMs`, `reason`).",
                Properties = new Dictionary<string, IOpenApiSchema> { ["status"] = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
            OpenApiMediaType Json(string status) => new() { Schema = body, Example = new System.Text.Json.Nodes.JsonObject { ["status"] = status } };
            document.Paths[probe] = new OpenApiPathItem
            {
                Operations = new Dictionary<HttpMethod, OpenApiOperation>
                {
                    [HttpMethod.Get] = new()
                    {
                        OperationId = id,
                        Summary = summary,
                        Description = description,
                        Tags = new HashSet<OpenApiTagReference> { new(HealthTag, document) },
                        Responses = new OpenApiResponses
                        {
                            ["200"] = new OpenApiResponse { Description = "Healthy", Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = Json(healthy) } },
                            ["405"] = new OpenApiResponse { Description = "A method other than GET or HEAD." },
                            ["503"] = new OpenApiResponse { Description = "Unhealthy: a check failed.", Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = Json("unavailable") } },
                        },
                    },
                },
            };
        }
    }

    // The filesystem store's signed URLs (/objects/{key}), a catch-all route the generator leaves out.
    private static void AddObjects(OpenApiDocument document)
    {
        List<IOpenApiParameter> Parameters() =>
        [
            new OpenApiParameter { Name = "key", In = ParameterLocation.Path, Required = true, Description = "The object's key, slashes included (as the URL gives it).", Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
            new OpenApiParameter { Name = "expires", In = ParameterLocation.Query, Required = true, Description = "Unix time (seconds) after which the URL is refused.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" } },
            new OpenApiParameter { Name = "sig", In = ParameterLocation.Query, Required = true, Description = "HMAC of the method, key and expiry.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
        ];
        var bytes = new Dictionary<string, OpenApiMediaType> { ["application/octet-stream"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } } };
        IOpenApiResponse Error(string description) => new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchemaReference("google.rpc.Status", document) } },
        };
        var invalid = Error("The key is not a valid object key (OBJECT_KEY_INVALID).");
        var refused = Error("The signature is missing, wrong or for another method (URL_SIGNATURE_INVALID), or the URL has expired (URL_EXPIRED).");
        var stored = new Dictionary<string, OpenApiMediaType>
        {
            ["application/json"] = new()
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["key"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["sizeBytes"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
                    },
                },
            },
        };
        document.Paths["/objects/{key}"] = new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new()
                {
                    OperationId = "GetObject",
                    Summary = "Download a stored object by its signed URL",
                    Description = "The URL comes from the API (`result.url`, stills, sidecars, previews). Supports `Range` (206) and conditional requests; the content type is the object's own (e.g. video/mp4).",
                    Tags = new HashSet<OpenApiTagReference> { new(ObjectsTag, document) },
                    Parameters = [.. Parameters(), new OpenApiParameter { Name = "Range", In = ParameterLocation.Header, Description = "A byte range, e.g. `bytes=0-1023`.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } }],
                    Responses = new OpenApiResponses
                    {
                        ["200"] = new OpenApiResponse { Description = "The object", Content = bytes },
                        ["206"] = new OpenApiResponse { Description = "The requested range", Content = bytes },
                        ["400"] = invalid,
                        ["403"] = refused,
                        ["404"] = Error("No such object: deleted, past retention, or never uploaded (OBJECT_NOT_FOUND)."),
                        ["416"] = new OpenApiResponse { Description = "The range lies outside the object." },
                    },
                },
                [HttpMethod.Put] = new()
                {
                    OperationId = "PutObject",
                    Summary = "Upload an asset's bytes to its signed upload URL",
                    Description = "The URL comes from CreateAsset (`uploadUrl`); send the declared content type and at most the declared size.",
                    Tags = new HashSet<OpenApiTagReference> { new(ObjectsTag, document) },
                    Parameters = Parameters(),
                    RequestBody = new OpenApiRequestBody { Required = true, Content = bytes },
                    Responses = new OpenApiResponses
                    {
                        ["200"] = new OpenApiResponse { Description = "Stored over an earlier upload", Content = stored },
                        ["201"] = new OpenApiResponse { Description = "Stored", Content = stored },
                        ["400"] = invalid,
                        ["403"] = refused,
                        ["413"] = Error("Larger than the asset's declared size or the store's limit (ASSET_TOO_LARGE, OBJECT_TOO_LARGE)."),
                        ["415"] = Error("Not the content type the asset declared (CONTENT_TYPE_MISMATCH)."),
                    },
                },
            },
        };
    }

    // Routes outside transcoding that the default generator found: say what they stream or serve.
    private static void DescribeHandWritten(OpenApiDocument document)
    {
        if (document.Paths.TryGetValue("/v1/productions/{id}/events", out var events) && events.Operations?.GetValueOrDefault(HttpMethod.Get) is { } sse)
        {
            sse.OperationId = "ProductionEvents";
            sse.Summary = "Server-Sent Events of a production until it ends";
            sse.Description = "Each event has `id` (the event sequence; send it back as `Last-Event-ID` to resume), `event` (state, progress, created) and `data` (a ProductionEvent as JSON). Comment lines keep idle connections open; the stream ends after the final state, whose production carries result.url.";
            sse.Parameters ??= [];
            sse.Tags = new HashSet<OpenApiTagReference> { new("Productions", document) };
            sse.Parameters.Add(new OpenApiParameter
            {
                Name = "Last-Event-ID",
                In = ParameterLocation.Header,
                Description = "The `id` of the last event received: the stream resumes after it.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            sse.Parameters.Add(new OpenApiParameter
            {
                Name = "watchToken",
                In = ParameterLocation.Query,
                Description = $"A watch token (POST /v1/watchTokens) in place of the Authorization header, for browsers' EventSource: short-lived, bound to the tenant and to this production (or all of the tenant's). Expired: 401 {ErrorReasons.WatchTokenExpired}; forged, edited or its key revoked: 401 {ErrorReasons.WatchTokenInvalid}; another production: 404.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            sse.Responses ??= [];
            sse.Responses["200"] = new OpenApiResponse
            {
                Description = "text/event-stream of ProductionEvent",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["text/event-stream"] = new()
                    {
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                        Example = System.Text.Json.Nodes.JsonValue.Create("id: 3\nevent: progress\ndata: {\"sequence\":\"3\",\"production\":{\"id\":\"prd_…\",\"state\":\"RUNNING\",\"progress\":0.42}}\n\n"),
                    },
                },
            };
            ErrorResponses.Add(sse, document, notFound: true, conflict: false);
        }

        foreach (var (path, item) in document.Paths)
        {
            foreach (var (verb, operation) in item.Operations ?? [])
            {
                operation.OperationId ??= Regex.Replace(path, "[^A-Za-z0-9]+", "_").Trim('_');
                operation.Summary ??= $"{verb.Method} {path}";
                if (path.StartsWith("/objects", StringComparison.Ordinal) || path is "/healthz" or "/readyz")
                {
                    // Signed object URLs and probes need no API key.
                    operation.Security = [];
                }
            }
        }
    }

    [GeneratedRegex(@"\{([^}=]+)(=[^}]*)?\}")]
    private static partial Regex PathParameter();
}
