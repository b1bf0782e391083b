using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.CanvasModel;

/// <summary>
/// Narrated scenes: a base segment's <c>narration</c> plays from the segment's start, and a
/// narrated base segment without a duration lasts its narration plus the padding.
/// </summary>
public static class Narrations
{
    /// <summary>Seconds after a narration before the next scene, when neither the segment nor the canvas gives one.</summary>
    public const double DefaultPadding = 0.5;

    /// <summary>Largest padding, seconds.</summary>
    public const double MaxPadding = 60;

    // espeak-ng's default rate, words per minute; an estimate only stands in until speech is synthesised.
    private const int DefaultRate = 175;

    /// <summary>The padding after <paramref name="segment"/>'s narration: its own, the canvas's, or 0.5 s.</summary>
    public static double Padding(Contracts.V1.Canvas canvas, Segment segment) =>
        segment.HasNarrationPadding ? segment.NarrationPadding
        : canvas.HasNarrationPadding ? canvas.NarrationPadding
        : DefaultPadding;

    /// <summary>A guess of a narration's length from its words and rate, for when it has not been synthesised.</summary>
    public static double Estimate(Speech narration)
    {
        var words = narration.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        return Math.Max(1, words) * 60.0 / (narration.Rate > 0 ? narration.Rate : DefaultRate);
    }

    /// <summary>Indices of the segments whose narration is spoken (base segments with a narration).</summary>
    public static IEnumerable<int> Narrated(Contracts.V1.Canvas canvas) =>
        Enumerable.Range(0, canvas.Segments.Count).Where(i => canvas.Segments[i].Narration is not null && SegmentKinds.IsBase(canvas.Segments[i]));

    internal static void Validate(Contracts.V1.Canvas canvas, Violations v)
    {
        if (canvas.HasNarrationPadding)
        {
            v.Range("canvas.narrationPadding", canvas.NarrationPadding, 0, MaxPadding);
        }
    }

    internal static void Validate(Segment s, string path, Violations v)
    {
        if (s.Narration is null && !s.HasNarrationPadding)
        {
            return;
        }
        if (!SegmentKinds.IsBase(s))
        {
            var field = s.Narration is null ? $"{path}.narrationPadding" : $"{path}.narration";
            v.Add(field, ErrorReasons.NarrationNotAllowed, "only a base segment (video, image or color, not a layer) is narrated.");
            return;
        }
        if (s.Narration is null)
        {
            v.Add($"{path}.narrationPadding", ErrorReasons.UnsupportedCombination, "narrationPadding is given with a narration.");
            return;
        }
        if (s.HasNarrationPadding)
        {
            v.Range($"{path}.narrationPadding", s.NarrationPadding, 0, MaxPadding);
        }
        SegmentValidator.Speech(s.Narration, $"{path}.narration", v);
    }

    /// <summary>
    /// The canvas with each narration as a speech segment appended after the given segments (their
    /// indices stay), starting where its segment starts and cut at its segment's end, so the
    /// speech mix, ducking and SPEECH captions take narrations as they take speech.
    /// </summary>
    /// <param name="canvas">The canvas as given.</param>
    /// <param name="timeline">Its timeline, resolved with the narrations' lengths.</param>
    /// <param name="lengths">Segment index → seconds of its synthesised narration.</param>
    /// <returns>The canvas to render, and appended index → the narrated segment's index.</returns>
    public static (Contracts.V1.Canvas Canvas, IReadOnlyDictionary<int, int> Spoken) Expand(
        Contracts.V1.Canvas canvas, Timeline timeline, IReadOnlyDictionary<int, double> lengths)
    {
        var expanded = canvas.Clone();
        var spoken = new Dictionary<int, int>();
        foreach (var i in Narrated(canvas))
        {
            var t = timeline.Segments[i];
            var length = Math.Min(lengths.TryGetValue(i, out var l) ? l : t.Duration, t.Duration);
            if (length <= 0)
            {
                continue;
            }
            spoken[expanded.Segments.Count] = i;
            expanded.Segments.Add(new Segment { Speech = canvas.Segments[i].Narration.Clone(), Start = t.Start, Duration = length });
        }
        return (expanded, spoken);
    }
}
