namespace RenderFarm.Facade.Plans;

/// <summary>How long plans live and how renders are estimated before any were measured.</summary>
public sealed class PlanOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RenderFarm:Plans";

    /// <summary>How long a plan can be read and rendered.</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long after expiry a plan still answers PLAN_EXPIRED (then PLAN_NOT_FOUND).</summary>
    public TimeSpan ExpiredRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Render seconds per cost unit assumed until this farm has measured a render.</summary>
    public double DefaultSecondsPerUnit { get; set; } = 1.0;

    /// <summary>Most preview stills a plan may ask for.</summary>
    public const int MaxPreviewFrames = 10;
}
