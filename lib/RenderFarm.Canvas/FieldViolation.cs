namespace RenderFarm.CanvasModel;

/// <summary>
/// One reason a request is rejected. <see cref="Field"/> is a proto JSON path from the request
/// root (<c>canvas.segments[3].duration</c>); <see cref="Reason"/> is a stable UPPER_SNAKE code.
/// </summary>
public sealed record FieldViolation(string Field, string Reason, string Description);
