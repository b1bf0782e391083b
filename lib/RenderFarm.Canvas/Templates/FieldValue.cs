using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using FieldType = RenderFarm.Contracts.V1.TemplateField.Types.Type;

namespace RenderFarm.CanvasModel.Templates;

/// <summary>A merge value or default checked against its field's type: the text placeholders take, and the number bindings take.</summary>
public sealed record FieldValue(string Text, double? Number)
{
    /// <summary>
    /// Checks <paramref name="value"/> (a string, or a number for NUMBER fields) against
    /// <paramref name="type"/>; null, with what is wrong in <paramref name="violation"/> (its Field
    /// left empty for the caller to name), when it does not fit.
    /// </summary>
    public static FieldValue? Check(FieldType type, Value value, out FieldViolation? violation)
    {
        violation = null;
        string text;
        switch (value.KindCase)
        {
            case Value.KindOneofCase.StringValue:
                text = value.StringValue;
                break;
            case Value.KindOneofCase.NumberValue when type is FieldType.Number or FieldType.Text or FieldType.Unspecified:
                text = value.NumberValue.ToString(CultureInfo.InvariantCulture);
                break;
            default:
                violation = Fail(ErrorReasons.InvalidType, type == FieldType.Number ? "must be a number" : "must be a string");
                return null;
        }

        switch (type)
        {
            case FieldType.Number:
                var number = value.KindCase == Value.KindOneofCase.NumberValue ? value.NumberValue
                    : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : (double?)null;
                if (number is null)
                {
                    violation = Fail(ErrorReasons.InvalidType, $"'{Shorten(text)}' is not a number");
                    return null;
                }

                if (!double.IsFinite(number.Value))
                {
                    violation = Fail(ErrorReasons.OutOfRange, "must be a finite number");
                    return null;
                }

                return new FieldValue(text, number);
            case FieldType.Url when !IsUrl(text):
                violation = Fail(ErrorReasons.InvalidUrl, "must be an absolute http(s) URL or asset://{id}");
                return null;
            case FieldType.Color when !RgbaColor.TryParse(text, out _):
                violation = Fail(ErrorReasons.InvalidColor, "must be #RRGGBB or #RRGGBBAA");
                return null;
            case not FieldType.Number when text.Length > CanvasLimits.MaxTextLength:
                violation = Fail(ErrorReasons.TooLong, $"at most {CanvasLimits.MaxTextLength} characters");
                return null;
            default:
                return new FieldValue(text, null);
        }
    }

    /// <summary>
    /// A value of the type that stands in for a field with no default when a template is checked.
    /// It carries no number: a binding of such a field keeps the canvas's own value, as a render does.
    /// </summary>
    public static FieldValue Sample(FieldType type) => type switch
    {
        FieldType.Url => new("https://example.com/sample", null),
        FieldType.Color => new("#808080", null),
        FieldType.Number => new("1", null),
        _ => new("Sample", null),
    };

    private static bool IsUrl(string text) =>
        text.Length <= CanvasLimits.MaxUrlLength
        && Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && (uri.Scheme is "http" or "https" ? uri.Host.Length > 0 : uri.Scheme == "asset" && text.Length > "asset://".Length);

    private static FieldViolation Fail(string reason, string description) => new("", reason, description);

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
