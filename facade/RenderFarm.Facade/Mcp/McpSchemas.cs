using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf.Reflection;
using Microsoft.OpenApi;
using RenderFarm.Facade.OpenApi;

namespace RenderFarm.Facade.Mcp;

/// <summary>
/// Input schemas of the MCP tools, derived from the request messages the way the OpenAPI document
/// derives its own (<see cref="ProtoSchemas"/>: proto3 JSON names and forms, the fields' proto
/// comments as descriptions, required fields, enums by name, oneofs), as one self-contained JSON
/// Schema per tool whose nested messages (Canvas, Segment, …) sit under <c>$defs</c>.
/// </summary>
internal static class McpSchemas
{
    private const string ComponentRef = "#/components/schemas/";

    /// <summary>An extra argument a tool takes beyond its request message's fields.</summary>
    public sealed record Extra(string Name, JsonObject Schema);

    /// <summary>The schema of <paramref name="request"/> without <paramref name="exclude"/>d fields (proto names), with <paramref name="extras"/> added.</summary>
    public static JsonElement For(MessageDescriptor request, IReadOnlyCollection<string>? exclude = null, IReadOnlyList<string>? required = null, params Extra[] extras)
    {
        var document = new OpenApiDocument { Components = new OpenApiComponents() };
        var schemas = new ProtoSchemas(document);
        var root = (JsonObject)Serialize(schemas.Object(request, new HashSet<string>(exclude ?? [], StringComparer.Ordinal)));
        var properties = root["properties"] as JsonObject ?? [];
        root["properties"] = properties;
        foreach (var extra in extras)
        {
            properties[extra.Name] = extra.Schema;
        }

        if (required is { Count: > 0 })
        {
            var all = new SortedSet<string>(required, StringComparer.Ordinal);
            foreach (var name in root["required"]?.AsArray().Select(n => n!.GetValue<string>()) ?? [])
            {
                all.Add(name);
            }

            root["required"] = new JsonArray([.. all.Select(n => (JsonNode)JsonValue.Create(n))]);
        }

        if (schemas.Components.Count > 0)
        {
            var defs = new JsonObject();
            foreach (var (name, schema) in schemas.Components.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                defs[name] = Serialize(schema);
            }

            root["$defs"] = defs;
        }

        Rebase(root);
        return JsonSerializer.SerializeToElement(root);
    }

    /// <summary>A number argument with bounds and a default.</summary>
    public static JsonObject Seconds(string description, double defaultValue, double maximum) => new()
    {
        ["type"] = "number",
        ["minimum"] = 0,
        ["maximum"] = maximum,
        ["default"] = defaultValue,
        ["description"] = description,
    };

    private static JsonNode Serialize(IOpenApiSchema schema)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        var writer = new OpenApiJsonWriter(text);
        schema.SerializeAsV31(writer);
        text.Flush();
        return JsonNode.Parse(text.ToString())!;
    }

    // References to OpenAPI components become references into the schema's own $defs.
    private static void Rebase(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["$ref"] is JsonValue r && r.GetValue<string>() is { } target && target.StartsWith(ComponentRef, StringComparison.Ordinal))
                {
                    o["$ref"] = "#/$defs/" + target[ComponentRef.Length..];
                }

                foreach (var (_, child) in o.ToList())
                {
                    Rebase(child);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    Rebase(child);
                }

                break;
        }
    }
}
