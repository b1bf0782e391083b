using System.Collections.Concurrent;

namespace RenderFarm.Fuzz.Tests;

/// <summary>How many cases reached each stage; printed at the end of a run.</summary>
internal sealed class FuzzCounts
{
    private long _generated, _valid, _invalid, _compiled, _rendered, _narrated, _narratedRendered;

    public long Generated => Interlocked.Read(ref _generated);
    public long Valid => Interlocked.Read(ref _valid);
    public long Invalid => Interlocked.Read(ref _invalid);
    public long Compiled => Interlocked.Read(ref _compiled);
    public long Rendered => Interlocked.Read(ref _rendered);

    /// <summary>Compiled canvases with a narrated scene.</summary>
    public long Narrated => Interlocked.Read(ref _narrated);

    /// <summary>Rendered canvases with a narrated scene.</summary>
    public long NarratedRendered => Interlocked.Read(ref _narratedRendered);

    /// <summary>Valid canvases a node turns down for their media or fonts, by reason.</summary>
    public ConcurrentDictionary<string, int> Refused { get; } = new();

    /// <summary>Violations by reason, over the invalid canvases.</summary>
    public ConcurrentDictionary<string, int> Reasons { get; } = new();

    public void CountGenerated() => Interlocked.Increment(ref _generated);
    public void CountValid() => Interlocked.Increment(ref _valid);
    public void CountInvalid() => Interlocked.Increment(ref _invalid);
    public void CountCompiled() => Interlocked.Increment(ref _compiled);
    public void CountRendered() => Interlocked.Increment(ref _rendered);
    public void CountNarrated() => Interlocked.Increment(ref _narrated);
    public void CountNarratedRendered() => Interlocked.Increment(ref _narratedRendered);

    public override string ToString() =>
        $"generated {Generated}, valid {Valid}, invalid {Invalid}, compiled {Compiled} ({Narrated} narrated), rendered {Rendered} ({NarratedRendered} narrated)"
        + (Refused.IsEmpty ? "" : $"; valid but refused by the node for media or fonts: {Join(Refused)}")
        + (Reasons.IsEmpty ? "" : $"\nviolation reasons: {Join(Reasons)}");

    private static string Join(ConcurrentDictionary<string, int> counts) =>
        string.Join(", ", counts.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value}"));
}
