namespace RenderFarm.CanvasModel;

/// <summary>
/// One reason a request is rejected. <see cref="Field"/> is a proto JSON path from the request
/// root (<c>canvas.segments[3].duration</c>); <see cref="Reason"/> is a stable UPPER_SNAKE code.
/// </summary>
public sealed record FieldViolation(string Field, string Reason, string Description);

/// <summary>Stable reasons of <see cref="FieldViolation"/>.</summary>
public static class ViolationReasons
{
    /// <summary>A required field is missing or empty.</summary>
    public const string FieldRequired = "FIELD_REQUIRED";
    /// <summary>A number is outside its allowed range, or not finite.</summary>
    public const string OutOfRange = "OUT_OF_RANGE";
    /// <summary>A color is not #RRGGBB or #RRGGBBAA.</summary>
    public const string InvalidColor = "INVALID_COLOR";
    /// <summary>A segment sets no kind.</summary>
    public const string SegmentKindMissing = "SEGMENT_KIND_MISSING";
    /// <summary>A media reference is not an http(s) or asset:// URL.</summary>
    public const string InvalidUrl = "INVALID_URL";
    /// <summary>Fields that are valid alone but not together.</summary>
    public const string UnsupportedCombination = "UNSUPPORTED_COMBINATION";
    /// <summary>A text or list is longer than allowed.</summary>
    public const string TooLong = "TOO_LONG";
    /// <summary>An enum value this version does not know.</summary>
    public const string InvalidEnum = "INVALID_ENUM";
    /// <summary>The whole canvas exceeds a global cap.</summary>
    public const string LimitExceeded = "LIMIT_EXCEEDED";
}
