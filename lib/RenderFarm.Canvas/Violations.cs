using RenderFarm.Contracts;

namespace RenderFarm.CanvasModel;

internal sealed class Violations
{
    public List<FieldViolation> List { get; } = [];

    public void Add(string field, string reason, string description) => List.Add(new FieldViolation(field, reason, description));

    public void Color(string field, string? value)
    {
        if (!string.IsNullOrEmpty(value) && !RgbaColor.TryParse(value, out _))
        {
            Add(field, ErrorReasons.InvalidColor, "must be #RRGGBB or #RRGGBBAA.");
        }
    }

    public void Range(string field, double value, double min, double max)
    {
        if (!double.IsFinite(value) || value < min || value > max)
        {
            Add(field, ErrorReasons.OutOfRange, $"must be a number within {min}..{max}.");
        }
    }

    public void Text(string field, string? value, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                Add(field, ErrorReasons.FieldRequired, "must not be empty.");
            }
        }
        else if (value.Length > CanvasLimits.MaxTextLength)
        {
            Add(field, ErrorReasons.TooLong, $"at most {CanvasLimits.MaxTextLength} characters.");
        }
    }

    public void Source(string field, string? src)
    {
        if (string.IsNullOrEmpty(src))
        {
            Add(field, ErrorReasons.FieldRequired, "a media URL is required.");
        }
        else if (src.Length > CanvasLimits.MaxUrlLength)
        {
            Add(field, ErrorReasons.TooLong, $"at most {CanvasLimits.MaxUrlLength} characters.");
        }
        else if (!Uri.TryCreate(src, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https" or "asset")
            || (uri.Scheme != "asset" && string.IsNullOrEmpty(uri.Host))
            || (uri.Scheme == "asset" && src.Length <= "asset://".Length))
        {
            Add(field, ErrorReasons.InvalidUrl, "must be an http, https or asset:// URL.");
        }
    }

    public void Enum<T>(string field, T value) where T : struct, System.Enum
    {
        if (!System.Enum.IsDefined(value))
        {
            Add(field, ErrorReasons.InvalidEnum, $"unknown {typeof(T).Name} value.");
        }
    }
}
