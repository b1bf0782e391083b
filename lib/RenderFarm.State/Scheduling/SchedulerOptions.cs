using System.ComponentModel.DataAnnotations;

namespace RenderFarm.State;

/// <summary>
/// How queued work is ordered and retried. The facade reads <see cref="AgingPerMinute"/> (a
/// production's queue position is fixed when it is created); the coordinator reads the rest.
/// </summary>
public sealed class SchedulerOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RenderFarm:Scheduler";

    /// <summary>Delay before the first retry of a failed attempt; doubles with every further attempt.</summary>
    public TimeSpan RetryBackoffBase { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between two attempts.</summary>
    public TimeSpan RetryBackoffMax { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Random spread of each delay, as a fraction (0.2 = ±20%), so retries of one failure do not arrive together.</summary>
    [Range(0.0, 0.99)]
    public double RetryBackoffJitter { get; set; } = 0.2;

    /// <summary>A production whose attempts failed on this many different nodes fails as POISON_JOB; 0 disables.</summary>
    [Range(0, 100)]
    public int PoisonNodeCount { get; set; } = 3;

    /// <summary>
    /// Priority levels a waiting production gains per minute: at 1, a LOW production queued two
    /// minutes ago runs before a HIGH one queued now. 0 orders strictly by priority, then age.
    /// </summary>
    [Range(0.0, 60_000.0)]
    public double AgingPerMinute { get; set; } = 1;

    /// <summary>Most assignments one dispatch script makes (over all of a coordinator's free slots).</summary>
    [Range(1, 1000)]
    public int DispatchBatch { get; set; } = 64;

    /// <summary>
    /// Productions looked at in one tenant's queue (of one placement) when the first cannot go to
    /// any free node because it already failed there; past them, the tenant waits for the next round.
    /// </summary>
    [Range(1, 100)]
    public int Lookahead { get; set; } = 8;

    /// <summary>Milliseconds of waiting worth one priority level (the queue score of a priority step).</summary>
    public long AgingStepMs => AgingPerMinute > 0 ? Math.Clamp((long)(60_000 / AgingPerMinute), 1, NoAgingStepMs) : NoAgingStepMs;

    // Larger than any wait, so without aging priority always wins; small enough that a queue score
    // (enqueue ms + 2 steps) stays below 2^42 and the tenant score (running × 2^42 + head) stays exact.
    internal const long NoAgingStepMs = 315_360_000_000;

    /// <summary>Whether the values fit together.</summary>
    public bool IsValid(out string error)
    {
        error = RetryBackoffBase <= TimeSpan.Zero ? "RetryBackoffBase must be positive"
            : RetryBackoffMax < RetryBackoffBase ? "RetryBackoffMax must be at least RetryBackoffBase"
            : "";
        return error.Length == 0;
    }
}
