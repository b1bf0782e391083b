using RenderFarm.Contracts.V1;
using static RenderFarm.Node.Rendering.Compilation.FilterText;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>
/// Lowers a track while speech plays, with linear ramps: from a speech's start the gain falls to
/// the ducked gain over <c>duckAttack</c>; from its end it rises back over <c>duckRelease</c>
/// (from wherever the attack had reached). Overlapping windows take the deepest duck. The gain is
/// a function of time alone, evaluated every 10 ms, so a render is deterministic.
/// </summary>
internal static class Ducking
{
    /// <summary>Seconds the gain takes to fall when speech starts, when none is given.</summary>
    public const double DefaultAttack = 0.2;

    /// <summary>Seconds the gain takes to recover after speech ends, when none is given.</summary>
    public const double DefaultRelease = 0.4;

    // Gain steps every 10 ms at 48 kHz: fine enough to sound like a ramp.
    private const int StepSamples = 480;

    /// <summary>The filters (with leading commas) that duck a track, t being time on the output timeline.</summary>
    public static string Filter(IReadOnlyList<(double Start, double End)> speech, double gain, AudioTrack track)
    {
        var attack = track.HasDuckAttack ? track.DuckAttack : DefaultAttack;
        var release = track.HasDuckRelease ? track.DuckRelease : DefaultRelease;
        var depth = speech.Select(w => Window(w.Start, w.End, attack, release)).Aggregate((a, b) => $"max({a},{b})");
        return $",asetnsamples=n={StepSamples}:p=0,volume='1-{Num(1 - gain)}*{depth}':eval=frame";
    }

    // How deep the duck is at t (0..1) for one speech window.
    private static string Window(double start, double end, double attack, double release)
    {
        var (s, e) = (Num(start), Num(end));
        var fall = attack > 0 ? $"min(1,(t-{s})/{Num(attack)})" : "1";
        var reached = attack > 0 ? Num(Math.Min(1, (end - start) / attack)) : "1";
        var rise = release > 0 ? $"max(0,{reached}*(1-(t-{e})/{Num(release)}))" : "0";
        return $"if(lt(t,{s}),0,if(lt(t,{e}),{fall},{rise}))";
    }
}
