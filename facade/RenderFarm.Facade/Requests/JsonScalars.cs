using System.Globalization;
using System.Text.Json;
using Google.Protobuf.Reflection;

namespace RenderFarm.Facade.Requests;

/// <summary>
/// Which JSON values transcoding reads for each scalar type. It reads 32-bit integers and floats
/// with System.Text.Json's own converters, so it is stricter than proto3 JSON: no numeric strings
/// and no 1.0 or 1e3 for integers; only 64-bit integers may be strings.
/// </summary>
internal static class JsonScalars
{
    public static bool Accepts(JsonElement json, FieldType type) => type switch
    {
        FieldType.String or FieldType.Bytes => json.ValueKind == JsonValueKind.String,
        FieldType.Bool => json.ValueKind is JsonValueKind.True or JsonValueKind.False,
        FieldType.Double or FieldType.Float => json.ValueKind == JsonValueKind.Number
            || (json.ValueKind == JsonValueKind.String && json.GetString() is "NaN" or "Infinity" or "-Infinity"),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => json.ValueKind == JsonValueKind.Number
            ? json.TryGetInt64(out _)
            : json.ValueKind == JsonValueKind.String && long.TryParse(json.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        FieldType.UInt64 or FieldType.Fixed64 => json.ValueKind == JsonValueKind.Number
            ? json.TryGetUInt64(out _)
            : json.ValueKind == JsonValueKind.String && ulong.TryParse(json.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        FieldType.UInt32 or FieldType.Fixed32 => json.ValueKind == JsonValueKind.Number && json.TryGetUInt32(out _),
        _ => json.ValueKind == JsonValueKind.Number && json.TryGetInt32(out _),
    };

    public static string Expected(FieldType type) => type switch
    {
        FieldType.String => "a string",
        FieldType.Bytes => "a string (base64)",
        FieldType.Bool => "a bool (true or false)",
        FieldType.Double or FieldType.Float => "a number (or \"NaN\", \"Infinity\", \"-Infinity\")",
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => "a 64-bit integer (number or string)",
        FieldType.UInt64 or FieldType.Fixed64 => "an unsigned 64-bit integer (number or string)",
        FieldType.UInt32 or FieldType.Fixed32 => "an unsigned 32-bit integer as a JSON number without fraction or exponent",
        _ => "a 32-bit integer as a JSON number without fraction or exponent",
    };

    public static bool IsMapKey(string key, FieldType type) => type switch
    {
        FieldType.String => true,
        FieldType.Bool => key is "true" or "false",
        FieldType.UInt32 or FieldType.Fixed32 or FieldType.UInt64 or FieldType.Fixed64 =>
            ulong.TryParse(key, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        _ => long.TryParse(key, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
    };
}

/// <summary>Well-known types have their own JSON forms; only the outer JSON type is checked.</summary>
internal static class WellKnown
{
    public static bool IsWellKnown(MessageDescriptor message) => message.FullName.StartsWith("google.protobuf.", StringComparison.Ordinal);

    /// <summary>Null when the JSON type fits; otherwise what was expected.</summary>
    public static string? Check(JsonElement json, MessageDescriptor message)
    {
        var kind = json.ValueKind;
        switch (message.FullName)
        {
            case "google.protobuf.Timestamp" or "google.protobuf.Duration" or "google.protobuf.FieldMask":
                return kind == JsonValueKind.String ? null : "a string";
            case "google.protobuf.Value":
                return null;
            case "google.protobuf.ListValue":
                return kind == JsonValueKind.Array ? null : "an array";
            case "google.protobuf.Struct" or "google.protobuf.Any" or "google.protobuf.Empty":
                return kind == JsonValueKind.Object ? null : "an object";
            default:
                if (message.FullName.EndsWith("Value", StringComparison.Ordinal) && message.FindFieldByName("value") is { } value)
                {
                    return JsonScalars.Accepts(json, value.FieldType) ? null : JsonScalars.Expected(value.FieldType);
                }

                return null;
        }
    }
}
