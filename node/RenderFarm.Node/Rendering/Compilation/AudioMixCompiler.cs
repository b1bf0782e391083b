using RenderFarm.CanvasModel;
using RenderFarm.Contracts.V1;
using RenderFarm.Node.Media;
using static RenderFarm.Node.Rendering.Compilation.FilterText;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>
/// Places every sound (clip audio, audio tracks, speech) on the timeline and mixes them without
/// normalisation, padded or cut to exactly the video's length. No sound → no audio stream.
/// </summary>
internal static class AudioMixCompiler
{
    // Gain of a ducked track while speech plays (about -10 dB).
    private const double DuckGain = 0.3;

    // Timestamps are kept, not rebased: a stream that starts after its file's origin (audio that
    // begins later than the picture) is padded with silence from 0, so it stays in sync.
    private const string Format = "aresample=48000:first_pts=0,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo";

    public static string? Compile(GraphBuilder g, Timeline timeline, IReadOnlyDictionary<int, LocalMedia> media, IReadOnlyList<ClipAudio> clipAudio)
    {
        var parts = new List<string>();
        var speech = timeline.Segments
            .Where(s => s.Duration > 0 && s.Segment.KindCase == Segment.KindOneofCase.Speech)
            .Select(s => (s.Start, s.End))
            .ToList();
        foreach (var c in clipAudio)
        {
            var v = c.Segment.Segment.Video;
            var speed = v.HasSpeed ? v.Speed : 1;
            // A looping video layer's input loops: count its sound's timestamps from the samples, as for audio tracks.
            var restamp = v.Loop && c.Segment.Segment.Layer is not null ? "asetpts=N/SR/TB," : "";
            parts.Add(Part(g, $"[{c.Input}:a]{restamp}{Format}{Tempo(speed)}", v.HasVolume ? v.Volume : 1, c.Start, c.Duration, 0, 0));
        }
        foreach (var s in timeline.Segments.Where(s => s.Duration > 0 && SegmentKinds.IsSound(s.Segment)))
        {
            if (!media.TryGetValue(s.Index, out var m) || !m.HasAudio)
            {
                continue;
            }
            if (s.Segment.KindCase == Segment.KindOneofCase.Audio)
            {
                var a = s.Segment.Audio;
                var input = g.AddInput(new RenderInput(m.Path, m.Format, a.TrimStart, a.Loop));
                var duck = a.Duck && speech.Count > 0 ? Ducking.Filter(speech, DuckGain, a) : "";
                // A seeked, looped input restarts its timestamps differently per demuxer (WAV
                // overlaps passes, MP4 follows on): count them from the samples instead, so every
                // source plays from trimStart to its end, then whole, again and again.
                var restamp = a.Loop ? "asetpts=N/SR/TB," : "";
                parts.Add(Part(g, $"[{input}:a]{restamp}{Format}", a.HasVolume ? a.Volume : 1, s.Start, s.Duration, a.FadeIn, a.FadeOut, duck));
            }
            else
            {
                var sp = s.Segment.Speech;
                var input = g.AddInput(new RenderInput(m.Path, m.Format, 0, Loop: false));
                parts.Add(Part(g, $"[{input}:a]{Format}", sp.HasVolume ? sp.Volume : 1, s.Start, s.Duration, 0, 0));
            }
        }
        if (parts.Count == 0)
        {
            return null;
        }
        var label = g.NewLabel("aout");
        var mix = parts.Count == 1 ? $"[{parts[0]}]" : $"{string.Concat(parts.Select(p => $"[{p}]"))}amix=inputs={parts.Count}:normalize=0:duration=longest,";
        g.Add($"{mix}apad,atrim=duration={Num(timeline.Duration)}[{label}]");
        return label;
    }

    // tail runs after the delay, where t is time on the output timeline.
    private static string Part(GraphBuilder g, string head, double volume, double start, double duration, double fadeIn, double fadeOut, string tail = "")
    {
        var label = g.NewLabel("a");
        var chain = $"{head},atrim=duration={Num(duration)}";
        if (Math.Abs(volume - 1) > 1e-9)
        {
            chain += $",volume={Num(volume)}";
        }
        if (fadeIn > 0)
        {
            chain += $",afade=t=in:st=0:d={Num(Math.Min(fadeIn, duration))}";
        }
        if (fadeOut > 0)
        {
            var d = Math.Min(fadeOut, duration);
            chain += $",afade=t=out:st={Num(duration - d)}:d={Num(d)}";
        }
        var delay = (long)Math.Round(start * 1000);
        if (delay > 0)
        {
            chain += $",adelay=delays={delay}:all=1";
        }
        g.Add($"{chain}{tail}[{label}]");
        return label;
    }

    // atempo takes 0.5..2 per instance: chain instances for 0.25..4. Each instance's overlap-add
    // sounds everything half its window (1/48 s of input) early; delaying by that lead, as the later
    // instances stretch it, keeps a slowed clip's sound on its picture (120 ms at 0.25x otherwise).
    private static string Tempo(double speed)
    {
        var factors = new List<double>();
        while (speed > 2 + 1e-9)
        {
            factors.Add(2);
            speed /= 2;
        }
        while (speed < 0.5 - 1e-9)
        {
            factors.Add(0.5);
            speed /= 0.5;
        }
        if (Math.Abs(speed - 1) > 1e-9)
        {
            factors.Add(speed);
        }
        double lead = 0, stretch = 1;
        for (var i = factors.Count - 1; i >= 0; i--)
        {
            stretch /= factors[i];
            lead += stretch / 48;
        }
        var filters = string.Concat(factors.Select(f => $",atempo={Num(f)}"));
        var samples = (long)Math.Round(lead * 48000);
        return samples > 0 ? filters + $",adelay=delays={samples}S:all=1" : filters;
    }
}
