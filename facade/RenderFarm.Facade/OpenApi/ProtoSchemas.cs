using System.Text.Json.Nodes;
using Google.Api;
using Google.Protobuf.Reflection;
using Microsoft.OpenApi;
using RenderFarm.Facade.Requests;

namespace RenderFarm.Facade.OpenApi;

/// <summary>
/// JSON Schemas of protobuf messages in the proto3 JSON mapping that transcoding speaks: lowerCamel
/// names, 64-bit integers as strings, enums as their names, Timestamp/Duration as strings, maps as
/// objects, oneof members listed (x-oneof) and described. Each message becomes one component.
/// </summary>
internal sealed class ProtoSchemas(OpenApiDocument document)
{
    private readonly Dictionary<string, IOpenApiSchema> _components = [];

    /// <summary>The component name of a message or enum: package-relative for renderfarm.v1, else its full name.</summary>
    public static string ComponentName(string fullName) =>
        fullName.StartsWith("renderfarm.v1.", StringComparison.Ordinal) ? fullName["renderfarm.v1.".Length..] : fullName;

    /// <summary>The components built so far, to merge into the document.</summary>
    public IReadOnlyDictionary<string, IOpenApiSchema> Components => _components;

    /// <summary>A reference to the schema of <paramref name="message"/>, building it (and what it uses) on first use.</summary>
    public IOpenApiSchema Reference(MessageDescriptor message)
    {
        if (WellKnown(message) is { } inline)
        {
            return inline;
        }

        var name = ComponentName(message.FullName);
        if (!_components.ContainsKey(name))
        {
            _components[name] = new OpenApiSchema(); // a placeholder stops recursion (Segment ↔ …)
            _components[name] = Object(message, new HashSet<string>());
        }

        return new OpenApiSchemaReference(name, document);
    }

    /// <summary>An inline object schema of <paramref name="message"/> without the fields in <paramref name="exclude"/> (bound to the path).</summary>
    public OpenApiSchema Object(MessageDescriptor message, IReadOnlySet<string> exclude)
    {
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>(),
            AdditionalPropertiesAllowed = false,
        };
        var required = new HashSet<string>();
        foreach (var field in message.Fields.InDeclarationOrder())
        {
            if (exclude.Contains(field.Name))
            {
                continue;
            }

            var property = Field(field);
            var behaviors = field.GetOptions()?.GetExtension(FieldBehaviorExtensions.FieldBehavior);
            if (behaviors?.Contains(FieldBehavior.Required) == true)
            {
                required.Add(field.JsonName);
            }

            var notes = new List<string>();
            var comment = ProtoComments.Of(field.FullName);
            if (comment is not null)
            {
                notes.Add(comment);
            }

            if (behaviors?.Contains(FieldBehavior.OutputOnly) == true)
            {
                notes.Add("Output only: ignored in requests.");
            }

            if (field.RealContainingOneof is { } oneof)
            {
                notes.Add($"Member of oneof `{oneof.Name}`: set at most one of {string.Join(", ", oneof.Fields.Select(f => f.JsonName))}.");
            }

            // A field's own comment goes on its inline schema (a scalar keeps its type at the top);
            // a reference, or other notes, are wrapped.
            if (notes.Count == 1 && comment is not null && property is OpenApiSchema inline)
            {
                inline.Description = inline.Description is null ? comment : $"{comment} {inline.Description}";
            }

            schema.Properties[field.JsonName] = notes.Count == 0 || (notes.Count == 1 && comment is not null && property is OpenApiSchema)
                ? property
                : new OpenApiSchema { AllOf = [property], Description = string.Join(' ', notes), ReadOnly = behaviors?.Contains(FieldBehavior.OutputOnly) == true };
        }

        if (required.Count > 0)
        {
            schema.Required = required;
        }

        var oneofs = message.Oneofs.Where(o => !o.IsSynthetic).Where(o => o.Fields.Any(f => !exclude.Contains(f.Name))).ToList();
        if (oneofs.Count > 0)
        {
            var map = new JsonObject();
            foreach (var o in oneofs)
            {
                map[o.Name] = new JsonArray([.. o.Fields.Select(f => (JsonNode)JsonValue.Create(f.JsonName))]);
            }

            schema.Extensions = new Dictionary<string, IOpenApiExtension> { ["x-oneof"] = new JsonNodeExtension(map) };
            schema.Description = "Oneofs (at most one member each): " + string.Join("; ", oneofs.Select(o => $"{o.Name}: {string.Join(" | ", o.Fields.Select(f => f.JsonName))}")) + ".";
        }

        return schema;
    }

    /// <summary>The schema of one field's JSON value.</summary>
    public IOpenApiSchema Field(FieldDescriptor field)
    {
        if (field.IsMap)
        {
            var value = field.MessageType.FindFieldByNumber(2);
            return new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalProperties = Single(value) };
        }

        var single = Single(field);
        return field.IsRepeated ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = single } : single;
    }

    private IOpenApiSchema Single(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Double or FieldType.Float => new OpenApiSchema { Type = JsonSchemaType.Number, Format = field.FieldType == FieldType.Float ? "float" : "double" },
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
        FieldType.UInt32 or FieldType.Fixed32 => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0" },
        // proto3 JSON writes 64-bit integers as strings (numbers are accepted on input).
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => new OpenApiSchema { Type = JsonSchemaType.String, Format = "int64", Pattern = "^-?[0-9]+$" },
        FieldType.UInt64 or FieldType.Fixed64 => new OpenApiSchema { Type = JsonSchemaType.String, Format = "uint64", Pattern = "^[0-9]+$" },
        FieldType.Bool => new OpenApiSchema { Type = JsonSchemaType.Boolean },
        FieldType.String => new OpenApiSchema { Type = JsonSchemaType.String },
        FieldType.Bytes => new OpenApiSchema { Type = JsonSchemaType.String, Format = "byte", ContentEncoding = "base64" },
        FieldType.Enum => Enum(field.EnumType),
        _ => Reference(field.MessageType),
    };

    private IOpenApiSchema Enum(EnumDescriptor e)
    {
        var name = ComponentName(e.FullName);
        if (!_components.ContainsKey(name))
        {
            _components[name] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = [.. e.Values.Select(v => (JsonNode)JsonValue.Create(v.Name))],
                Description = $"Enum {e.Name}, written as the value's name; the number is accepted on input.",
            };
        }

        return new OpenApiSchemaReference(name, document);
    }

    // Well-known types have their own JSON forms.
    private static OpenApiSchema? WellKnown(MessageDescriptor message) => message.FullName switch
    {
        "google.protobuf.Timestamp" => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time", Description = "RFC 3339 timestamp, e.g. 2025-01-31T12:00:00Z." },
        "google.protobuf.Duration" => new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^-?[0-9]+(\\.[0-9]{1,9})?s$", Description = "Seconds with an s suffix, e.g. 1.5s." },
        "google.protobuf.Empty" => new OpenApiSchema { Type = JsonSchemaType.Object },
        "google.protobuf.FieldMask" => new OpenApiSchema { Type = JsonSchemaType.String, Description = "Comma-separated lowerCamel field paths." },
        "google.protobuf.Struct" => new OpenApiSchema { Type = JsonSchemaType.Object },
        "google.protobuf.Value" => new OpenApiSchema(),
        "google.protobuf.Any" => new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "@type" },
            Properties = new Dictionary<string, IOpenApiSchema> { ["@type"] = new OpenApiSchema { Type = JsonSchemaType.String } },
        },
        "google.protobuf.DoubleValue" or "google.protobuf.FloatValue" => new OpenApiSchema { Type = JsonSchemaType.Number | JsonSchemaType.Null },
        "google.protobuf.Int32Value" or "google.protobuf.UInt32Value" => new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null },
        "google.protobuf.Int64Value" or "google.protobuf.UInt64Value" or "google.protobuf.StringValue" or "google.protobuf.BytesValue"
            => new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
        "google.protobuf.BoolValue" => new OpenApiSchema { Type = JsonSchemaType.Boolean | JsonSchemaType.Null },
        _ => null,
    };
}
