using System.Globalization;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using RenderFarm.Contracts;

namespace RenderFarm.Facade.Requests;

/// <summary>
/// Checks the query parameters of transcoded routes that name request fields
/// (<c>?pageSize=abc</c>, <c>?state=BOGUS</c>): transcoding refuses them with a bare message, this
/// names the field with a stable reason (INVALID_TYPE, INVALID_ENUM) and a BadRequest, like every
/// other error. Parameters that name no field are left to transcoding, which ignores them.
/// </summary>
internal sealed class QueryValidation(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.QueryString.HasValue
            && context.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is { } metadata)
        {
            var violations = new List<Problems.Violation>();
            foreach (var (name, values) in context.Request.Query)
            {
                if (Resolve(metadata.MethodDescriptor.InputType, name) is { } field)
                {
                    violations.AddRange(values.Where(v => !Accepts(field, v ?? "")).Take(1).Select(v => Violation(name, field, v ?? "")));
                }
            }

            if (violations.Count > 0)
            {
                var error = Problems.InvalidArgument(violations);
                context.Response.StatusCode = HttpStatus.FromGrpc(error.StatusCode);
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(error.ToJson(), context.RequestAborted);
                return;
            }
        }

        await next(context);
    }

    /// <summary>The scalar or enum field a dotted parameter names (JSON or proto names), or null.</summary>
    private static FieldDescriptor? Resolve(MessageDescriptor message, string path)
    {
        FieldDescriptor? field = null;
        foreach (var part in path.Split('.'))
        {
            if (field is not null)
            {
                if (field.FieldType != FieldType.Message || field.IsRepeated)
                {
                    return null;
                }

                message = field.MessageType;
            }

            field = message.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == part || f.Name == part);
            if (field is null)
            {
                return null;
            }
        }

        return field is { FieldType: not FieldType.Message and not FieldType.Group } ? field : null;
    }

    private static bool Accepts(FieldDescriptor field, string value)
    {
        const NumberStyles integer = NumberStyles.AllowLeadingSign;
        var c = CultureInfo.InvariantCulture;
        return field.FieldType switch
        {
            FieldType.String or FieldType.Bytes => true,
            FieldType.Bool => bool.TryParse(value, out _),
            FieldType.Double or FieldType.Float => double.TryParse(value, NumberStyles.Float, c, out _) || value is "NaN" or "Infinity" or "-Infinity",
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => long.TryParse(value, integer, c, out _),
            FieldType.UInt64 or FieldType.Fixed64 => ulong.TryParse(value, NumberStyles.None, c, out _),
            FieldType.UInt32 or FieldType.Fixed32 => uint.TryParse(value, NumberStyles.None, c, out _),
            FieldType.Enum => field.EnumType.Values.Any(v => v.Name == value)
                || int.TryParse(value, integer, c, out _),
            _ => int.TryParse(value, integer, c, out _),
        };
    }

    private static Problems.Violation Violation(string name, FieldDescriptor field, string value) =>
        field.FieldType == FieldType.Enum
            ? new(name, ErrorReasons.InvalidEnum, $"'{value}' is not one of {string.Join(", ", field.EnumType.Values.Select(v => v.Name))}")
            : new(name, ErrorReasons.InvalidType, $"'{value}' is not {JsonScalars.Expected(field.FieldType).Split(" as a JSON")[0]}");
}
