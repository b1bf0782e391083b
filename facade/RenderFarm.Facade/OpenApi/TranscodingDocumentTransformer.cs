using System.Text.RegularExpressions;
using Google.Api;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

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
            Description = "Programmatic video rendering: plans, productions and their live status. The same API is served over gRPC (renderfarm.v1); REST bodies use the proto3 JSON mapping.",
        };
        document.Paths ??= [];
        AddProbes(document, context);
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
        document.Tags = new HashSet<OpenApiTag>(Transcoded(endpoints).Select(p => p.Method.Service).DistinctBy(s => s.FullName)
            .Select(s => new OpenApiTag { Name = s.Name, Description = $"gRPC service {s.FullName}, transcoded to REST." }));
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
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
        var operation = new OpenApiOperation
        {
            OperationId = method.Name,
            Summary = $"{method.Service.Name}.{method.Name}",
            Tags = new HashSet<OpenApiTagReference> { new(method.Service.Name, document) },
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
            operation.RequestBody = Body(schemas.Object(input, pathFields));
        }
        else
        {
            var bodyField = rule.Body.Length > 0 ? input.FindFieldByName(rule.Body) : null;
            if (bodyField is not null)
            {
                operation.RequestBody = Body(schemas.Field(bodyField));
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
            ok.Content["application/json"] = new OpenApiMediaType { Schema = output };
        }

        operation.Responses["200"] = ok;
        operation.Responses["400"] = new OpenApiResponseReference(ErrorResponse, document);
        if (pathFields.Count > 0)
        {
            operation.Responses["404"] = new OpenApiResponseReference(ErrorResponse, document);
        }

        operation.Responses["default"] = new OpenApiResponseReference(ErrorResponse, document);
        return operation;
    }

    private static OpenApiRequestBody Body(IOpenApiSchema schema) => new()
    {
        Required = true,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
    };

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
            details.Add(new OpenApiSchema
            {
                AllOf =
                [
                    new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { "@type" },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["@type"] = new OpenApiSchema { Type = JsonSchemaType.String, Const = $"type.googleapis.com/{detail.FullName}" },
                        },
                    },
                    schemas.Reference(detail),
                ],
            });
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
    private static void AddProbes(OpenApiDocument document, OpenApiDocumentTransformerContext context)
    {
        var tag = context.ApplicationServices.GetRequiredService<IHostEnvironment>().ApplicationName;
        foreach (var probe in new[] { "/healthz", "/readyz" })
        {
            document.Paths.TryAdd(probe, new OpenApiPathItem
            {
                Operations = new Dictionary<HttpMethod, OpenApiOperation>
                {
                    [HttpMethod.Get] = new()
                    {
                        Tags = new HashSet<OpenApiTagReference> { new(tag, document) },
                        Responses = new OpenApiResponses { ["200"] = new OpenApiResponse { Description = "OK" } },
                    },
                },
            });
        }
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
            sse.Parameters.Add(new OpenApiParameter { Name = "Last-Event-ID", In = ParameterLocation.Header, Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
            sse.Responses ??= [];
            sse.Responses["200"] = new OpenApiResponse
            {
                Description = "text/event-stream of ProductionEvent",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["text/event-stream"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            };
            sse.Responses["404"] = new OpenApiResponseReference(ErrorResponse, document);
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
