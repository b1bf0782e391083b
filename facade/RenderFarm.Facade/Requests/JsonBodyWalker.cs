using System.Text.Json;
using Google.Protobuf.Reflection;
using RenderFarm.Contracts;

namespace RenderFarm.Facade.Requests;

/// <summary>
/// Checks a parsed JSON body against a protobuf message the way proto3 JSON parsing reads it, and
/// names what transcoding would silently drop or reject without a path: unknown fields, wrong JSON
/// types, unknown enum names and two members of one oneof. Lenient wherever proto3 JSON is.
/// </summary>
internal sealed class JsonBodyWalker
{
    public const int MaxViolations = 20;
    private const int MaxNamesListed = 12;

    private readonly List<Problems.Violation> _violations = [];

    private JsonBodyWalker()
    {
    }

    /// <summary>Violations of a body that is the whole <paramref name="message"/>; paths start at its fields.</summary>
    public static IReadOnlyList<Problems.Violation> Check(JsonElement body, MessageDescriptor message)
    {
        var walker = new JsonBodyWalker();
        walker.Message(body, message, "");
        return walker._violations;
    }

    /// <summary>Violations of a body that is one field of the request (HttpRule body = field name); paths start at that field.</summary>
    public static IReadOnlyList<Problems.Violation> Check(JsonElement body, FieldDescriptor field)
    {
        var walker = new JsonBodyWalker();
        walker.Field(body, field, field.JsonName);
        return walker._violations;
    }

    private bool Full => _violations.Count >= MaxViolations;

    private void Add(string field, string reason, string description)
    {
        if (!Full)
        {
            _violations.Add(new(field, reason, description));
        }
    }

    private void Message(JsonElement json, MessageDescriptor message, string path)
    {
        if (json.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (WellKnown.IsWellKnown(message))
        {
            if (WellKnown.Check(json, message) is { } expected)
            {
                Add(path, ErrorReasons.InvalidType, $"expected {expected} ({message.FullName}), got {Kind(json)}");
            }

            return;
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            Add(path, ErrorReasons.InvalidType, $"expected an object ({message.FullName}), got {Kind(json)}");
            return;
        }

        var setOneofs = new Dictionary<OneofDescriptor, FieldDescriptor>();
        foreach (var property in json.EnumerateObject())
        {
            if (Full)
            {
                return;
            }

            var field = Find(message, property.Name);
            var fieldPath = Join(path, field?.JsonName ?? property.Name);
            if (field is null)
            {
                Add(fieldPath, ErrorReasons.UnknownField, $"unknown field \"{property.Name}\" in {message.FullName}; valid fields: {Names(message)}");
                continue;
            }

            // Transcoding rejects a second member of a oneof even when it is null, but not a null one before the first.
            if (field.RealContainingOneof is { } oneof)
            {
                if (setOneofs.TryGetValue(oneof, out var first) && first != field)
                {
                    Add(fieldPath, ErrorReasons.OneofConflict,
                        $"\"{field.JsonName}\" and \"{first.JsonName}\" are both set; set only one of {string.Join(", ", oneof.Fields.Select(f => f.JsonName))}");
                    continue;
                }

                if (property.Value.ValueKind != JsonValueKind.Null)
                {
                    setOneofs[oneof] = field;
                }
            }

            Field(property.Value, field, fieldPath);
        }
    }

    private void Field(JsonElement json, FieldDescriptor field, string path)
    {
        if (json.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (field.IsMap)
        {
            if (json.ValueKind != JsonValueKind.Object)
            {
                Add(path, ErrorReasons.InvalidType, $"expected an object (map), got {Kind(json)}");
                return;
            }

            var key = field.MessageType.FindFieldByNumber(1);
            var value = field.MessageType.FindFieldByNumber(2);
            foreach (var entry in json.EnumerateObject())
            {
                var entryPath = $"{path}[{entry.Name}]";
                if (!JsonScalars.IsMapKey(entry.Name, key.FieldType))
                {
                    Add(entryPath, ErrorReasons.InvalidType, $"map key \"{entry.Name}\" is not a {JsonScalars.Expected(key.FieldType)}");
                }

                if (entry.Value.ValueKind == JsonValueKind.Null && !IsValue(value))
                {
                    Add(entryPath, ErrorReasons.InvalidType, "null is not allowed as a map value; leave the entry out");
                    continue;
                }

                Single(entry.Value, value, entryPath);
            }

            return;
        }

        if (field.IsRepeated)
        {
            if (json.ValueKind != JsonValueKind.Array)
            {
                Add(path, ErrorReasons.InvalidType, $"expected an array, got {Kind(json)}");
                return;
            }

            var i = 0;
            foreach (var item in json.EnumerateArray())
            {
                Single(item, field, $"{path}[{i++}]");
            }

            return;
        }

        Single(json, field, path);
    }

    private void Single(JsonElement json, FieldDescriptor field, string path)
    {
        if (Full)
        {
            return;
        }

        // A null field means unset, but a null array element or map value has no such reading.
        if (json.ValueKind == JsonValueKind.Null)
        {
            if (field.IsRepeated && !IsValue(field))
            {
                Add(path, ErrorReasons.InvalidType, "null is not allowed here; leave the element out");
            }

            return;
        }

        switch (field.FieldType)
        {
            case FieldType.Message or FieldType.Group:
                Message(json, field.MessageType, path);
                break;
            case FieldType.Enum:
                if (json.ValueKind == JsonValueKind.String)
                {
                    var name = json.GetString()!;
                    if (field.EnumType.FindValueByName(name) is null)
                    {
                        Add(path, ErrorReasons.InvalidEnum,
                            $"\"{name}\" is not a {field.EnumType.FullName}; valid values: {string.Join(", ", field.EnumType.Values.Select(v => v.Name))}");
                    }
                }
                else if (!JsonScalars.Accepts(json, FieldType.Int32))
                {
                    Add(path, ErrorReasons.InvalidType, $"expected a string (enum name) or integer ({field.EnumType.FullName}), got {Kind(json)}");
                }

                break;
            default:
                if (!JsonScalars.Accepts(json, field.FieldType))
                {
                    Add(path, ErrorReasons.InvalidType, $"expected {JsonScalars.Expected(field.FieldType)}, got {Kind(json)}");
                }

                break;
        }
    }

    // MessageType throws for scalar fields.
    private static bool IsValue(FieldDescriptor field) =>
        field.FieldType == FieldType.Message && field.MessageType.FullName == "google.protobuf.Value";

    private static FieldDescriptor? Find(MessageDescriptor message, string name) =>
        message.FindFieldByName(name) ?? message.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == name);

    private static string Names(MessageDescriptor message)
    {
        var names = message.Fields.InDeclarationOrder().Select(f => f.JsonName).ToList();
        return names.Count <= MaxNamesListed
            ? string.Join(", ", names)
            : string.Join(", ", names.Take(MaxNamesListed)) + ", …";
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    internal static string Kind(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => $"string \"{Truncate(json.GetString()!)}\"",
        JsonValueKind.Number => $"number {Truncate(json.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "null",
    };

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
