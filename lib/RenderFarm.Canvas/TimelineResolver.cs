using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.CanvasModel;

/// <summary>Gives every segment of a validated canvas an explicit start and duration.</summary>
public static class TimelineResolver
{
    /// <summary>Seconds used for media whose length is unknown and not given.</summary>
    public const double FallbackDuration = 5;

    /// <summary>Resolves timing.</summary>
    /// <param name="canvas">A canvas that passed <see cref="CanvasValidator"/>.</param>
    /// <param name="mediaDurations">Segment index → length of its media in seconds (video, audio, synthesised speech), as probed.</param>
    /// <param name="narrations">Segment index → length of its synthesised narration in seconds; an estimate stands in for one missing.</param>
    public static Timeline Resolve(Contracts.V1.Canvas canvas, IReadOnlyDictionary<int, double> mediaDurations, IReadOnlyDictionary<int, double>? narrations = null)
    {
        var warnings = new List<PlanWarning>();
        var timed = new TimedSegment?[canvas.Segments.Count];
        var bases = PlaceBase(canvas, mediaDurations, narrations ?? new Dictionary<int, double>(), warnings);
        foreach (var b in bases)
        {
            timed[b.Index] = b;
        }
        var total = bases.Count > 0 ? bases.Max(b => b.End) : UnanchoredLength(canvas, mediaDurations);

        for (var i = 0; i < canvas.Segments.Count; i++)
        {
            var s = canvas.Segments[i];
            if (SegmentKinds.IsBase(s) || s.KindCase == Segment.KindOneofCase.None)
            {
                continue;
            }
            var path = $"canvas.segments[{i}]";
            var start = s.HasStart ? s.Start : 0;
            var natural = s.HasDuration ? s.Duration : SoundLength(s, i, mediaDurations, warnings) ?? VideoLayerLength(s, i, mediaDurations) ?? total - start;
            var duration = Math.Max(0, Math.Min(natural, total - start));
            if (duration < natural - 1e-9 || (start >= total && natural <= 0))
            {
                var code = SegmentKinds.IsSound(s) ? PlanWarnings.AudioPastEnd : PlanWarnings.OverlayPastEnd;
                warnings.Add(new(code, path, $"cut at the end of the video ({total:0.###} s)."));
            }
            timed[i] = new TimedSegment(i, s, start, duration, 0);
        }
        for (var i = 0; i < timed.Length; i++)
        {
            timed[i] ??= new TimedSegment(i, canvas.Segments[i], 0, 0, 0);
        }
        return new Timeline(timed!, total, warnings);
    }

    private static List<TimedSegment> PlaceBase(Contracts.V1.Canvas canvas, IReadOnlyDictionary<int, double> media, IReadOnlyDictionary<int, double> narrations, List<PlanWarning> warnings)
    {
        var placed = new List<TimedSegment>();
        TimedSegment? previous = null;
        for (var i = 0; i < canvas.Segments.Count; i++)
        {
            var s = canvas.Segments[i];
            if (!SegmentKinds.IsBase(s))
            {
                continue;
            }
            var path = $"canvas.segments[{i}]";
            var duration = s.HasDuration ? s.Duration
                : s.Narration is not null ? NarratedLength(canvas, s, i, narrations, warnings)
                : VideoLength(s, i, media, warnings);
            var transition = s.Transition?.Duration ?? 0;
            if (transition > 0 && previous is null)
            {
                warnings.Add(new(PlanWarnings.TransitionIgnored, $"{path}.transition", "the first base segment has nothing to blend from."));
                transition = 0;
            }
            if (previous is not null && transition > 0)
            {
                var room = Math.Min(previous.Duration, duration);
                if (s.HasStart)
                {
                    room = Math.Min(room, Math.Max(0, previous.End - s.Start));
                }
                if (transition > room)
                {
                    warnings.Add(new(PlanWarnings.TransitionClamped, $"{path}.transition.duration", $"shortened from {transition:0.###} s to {room:0.###} s."));
                    transition = room;
                }
            }
            var start = s.HasStart ? s.Start : (previous?.End ?? 0) - transition;
            var current = new TimedSegment(i, s, start, duration, transition);
            placed.Add(current);
            previous = current;
        }
        var untangled = Untangle(placed, warnings);
        foreach (var b in untangled.Where(b => b.Segment.Narration is not null && narrations.TryGetValue(b.Index, out var n) && n > b.Duration + 1e-6))
        {
            warnings.Add(new(PlanWarnings.NarrationCut, $"canvas.segments[{b.Index}].narration",
                $"the narration lasts {narrations[b.Index]:0.###} s, the segment {b.Duration:0.###} s: its end is cut."));
        }
        return untangled;
    }

    // A narrated segment without a duration: its narration (synthesised, else estimated) and the padding.
    private static double NarratedLength(Contracts.V1.Canvas canvas, Segment s, int index, IReadOnlyDictionary<int, double> narrations, List<PlanWarning> warnings)
    {
        var padding = Narrations.Padding(canvas, s);
        if (narrations.TryGetValue(index, out var length))
        {
            return length + padding;
        }
        var estimate = Narrations.Estimate(s.Narration);
        warnings.Add(new(PlanWarnings.MediaDurationUnknown, $"canvas.segments[{index}].narration",
            $"the narration could not be synthesised here; {estimate:0.###} s estimated from its words."));
        return estimate + padding;
    }

    // Sorted by start, each base segment must begin where the previous ends (or, with a
    // transition, exactly its transition before that end); an earlier one is cut short.
    private static List<TimedSegment> Untangle(List<TimedSegment> placed, List<PlanWarning> warnings)
    {
        var sorted = placed.OrderBy(p => p.Start).ThenBy(p => p.Index).ToList();
        for (var k = 1; k < sorted.Count; k++)
        {
            var p = sorted[k - 1];
            var c = sorted[k];
            var overlap = p.End - c.Start;
            if (overlap > c.TransitionDuration + 1e-9)
            {
                var cut = Math.Max(0, c.Start + c.TransitionDuration - p.Start);
                warnings.Add(new(PlanWarnings.BaseOverlap, $"canvas.segments[{p.Index}].duration", $"cut to {cut:0.###} s by canvas.segments[{c.Index}]."));
                sorted[k - 1] = p with { Duration = cut };
            }
            else if (overlap < c.TransitionDuration - 1e-9)
            {
                var td = Math.Max(0, overlap);
                warnings.Add(new(PlanWarnings.TransitionClamped, $"canvas.segments[{c.Index}].transition.duration", $"shortened to {td:0.###} s: the segments overlap that long."));
                sorted[k] = c with { TransitionDuration = td };
            }
        }
        // A segment cut to nothing no longer blends anything: its follower cuts in.
        for (var k = 1; k < sorted.Count; k++)
        {
            if (sorted[k - 1].Duration <= 0 && sorted[k].TransitionDuration > 0)
            {
                sorted[k] = sorted[k] with { TransitionDuration = 0 };
            }
        }
        return sorted;
    }

    private static double VideoLength(Segment s, int index, IReadOnlyDictionary<int, double> media, List<PlanWarning> warnings)
    {
        if (s.KindCase == Segment.KindOneofCase.Video && media.TryGetValue(index, out var length))
        {
            var speed = s.Video.HasSpeed ? s.Video.Speed : 1;
            var left = (length - s.Video.TrimStart) / speed;
            if (left > 0)
            {
                return left;
            }
            warnings.Add(new(PlanWarnings.MediaExhausted, $"canvas.segments[{index}].video.trimStart", "nothing of the media is left after trimStart."));
            return 0;
        }
        warnings.Add(new(PlanWarnings.MediaDurationUnknown, $"canvas.segments[{index}].duration", $"media length unknown; {FallbackDuration} s used."));
        return FallbackDuration;
    }

    private static double? SoundLength(Segment s, int index, IReadOnlyDictionary<int, double> media, List<PlanWarning> warnings)
    {
        if (!SegmentKinds.IsSound(s) || !media.TryGetValue(index, out var length))
        {
            return null;
        }
        if (s.KindCase == Segment.KindOneofCase.Audio)
        {
            if (s.Audio.Loop)
            {
                return null;
            }
            length -= s.Audio.TrimStart;
            if (length <= 0)
            {
                warnings.Add(new(PlanWarnings.MediaExhausted, $"canvas.segments[{index}].audio.trimStart", "nothing of the media is left after trimStart."));
                return 0;
            }
        }
        return length;
    }

    // A video layer without a duration plays what is left of its clip (looped: to the video's end).
    private static double? VideoLayerLength(Segment s, int index, IReadOnlyDictionary<int, double> media)
    {
        if (!SegmentKinds.IsLayer(s) || s.KindCase != Segment.KindOneofCase.Video || s.Video.Loop || !media.TryGetValue(index, out var length))
        {
            return null;
        }
        return Math.Max(0, (length - s.Video.TrimStart) / (s.Video.HasSpeed ? s.Video.Speed : 1));
    }

    // A canvas without base content lasts as long as its longest explicitly timed or media-timed segment.
    private static double UnanchoredLength(Contracts.V1.Canvas canvas, IReadOnlyDictionary<int, double> media)
    {
        double end = 0;
        for (var i = 0; i < canvas.Segments.Count; i++)
        {
            var s = canvas.Segments[i];
            var start = s.HasStart ? s.Start : 0;
            var length = s.HasDuration ? s.Duration : media.TryGetValue(i, out var m) ? m : 0;
            end = Math.Max(end, start + length);
        }
        return end;
    }
}
