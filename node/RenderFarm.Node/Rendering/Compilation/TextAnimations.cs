using System.Globalization;
using RenderFarm.CanvasModel;
using RenderFarm.Contracts.V1;
using RenderFarm.Node.Rendering.Text;
using static RenderFarm.Node.Rendering.Compilation.FilterText;
using Animation = RenderFarm.Contracts.V1.TextOverlay.Types.Animation;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>One drawtext of a text overlay: literal text (read from a file) and its expressions.</summary>
internal sealed record TextDraw(string Text, string X, string Y, string FontSize, string Enable, string? Alpha);

/// <summary>
/// The drawtexts of a laid-out text overlay with its entrance animation. Every position comes
/// from the final layout, so nothing jumps when the animation ends. TYPEWRITER and WORD_BY_WORD
/// draw growing prefixes of each line, each in its own time window; SLIDE_UP moves the lines up
/// by one em into place while fading them in; POP grows the block about its centre with a slight
/// overshoot (ease-out-back).
/// </summary>
internal static class TextAnimations
{
    // More reveal steps than this (or than frames) cannot be seen and only cost filters.
    private const int MaxSteps = 240;

    public static List<TextDraw> Draws(TimedSegment o, TextLayout layout, CanvasFrame frame, string window, string? fade)
    {
        var text = o.Segment.Text;
        var lines = layout.Lines.Where(l => !string.IsNullOrWhiteSpace(l.Text)).ToList();
        var d = MotionWarnings.AnimationDuration(text, o.Duration);
        var size = layout.FontSize.ToString(CultureInfo.InvariantCulture);
        var p = EasingCurves.Progress("t", o.Start, d);
        string? Faded(string alpha) => fade is null ? alpha : $"{alpha}*{fade}";
        switch (d > 0 ? text.Animation : Animation.None)
        {
            case Animation.SlideUp:
                return lines.Select(l => new TextDraw(l.Text, Num(l.X), $"{l.Baseline}-ascent+{layout.FontSize}*pow(1-{p},3)", size, window, Faded(p))).ToList();
            case Animation.Pop:
                var (cx, cy) = (layout.Left + (layout.Width / 2.0), layout.Top + (layout.Height / 2.0));
                var s = $"(1+2.70158*pow({p}-1,3)+1.70158*pow({p}-1,2))";
                return lines.Select(l => new TextDraw(l.Text, $"{Num(cx)}+({Num(l.X - cx)})*{s}", $"{Num(cy)}+({Num(l.Baseline - cy)})*{s}-ascent",
                    $"max(1,{size}*{s})", window, Faded($"clip(4*{p},0,1)"))).ToList();
            case Animation.Typewriter or Animation.WordByWord:
                return Reveal(o, lines, text.Animation == Animation.WordByWord, d, frame.Fps, size, fade);
            default:
                return lines.Select(l => new TextDraw(l.Text, Num(l.X), $"{l.Baseline}-ascent", size, window, fade)).ToList();
        }
    }

    // Units (characters or words) appear evenly over d: unit k of n from start + d·(k−1)/n. Each
    // line is drawn as the prefix shown so far, one drawtext per distinct prefix and time window.
    private static List<TextDraw> Reveal(TimedSegment o, List<LaidLine> lines, bool words, double d, int fps, string size, string? fade)
    {
        var units = lines.SelectMany((l, i) => Ends(l.Text, words).Select(end => (Line: i, End: end))).ToList();
        var steps = Math.Clamp((int)Math.Round(d * fps), 1, Math.Min(MaxSteps, Math.Max(1, units.Count)));
        double At(int step) => step > steps ? o.End : o.Start + (d * (step - 1) / steps);
        var draws = new List<TextDraw>();
        for (var i = 0; i < lines.Count; i++)
        {
            var l = lines[i];
            // The line's units as (position among all units, end in the line), in order.
            var own = units.Select((u, k) => (Index: k, u.Line, u.End)).Where(u => u.Line == i).ToList();
            int Shown(int step)
            {
                var revealed = (int)Math.Ceiling(step * (double)units.Count / steps);
                return own.LastOrDefault(u => u.Index < revealed).End;
            }
            var first = 1;
            for (var step = 1; step <= steps; step++)
            {
                var shown = Shown(step);
                if (step < steps && Shown(step + 1) == shown)
                {
                    continue;
                }
                if (shown > 0)
                {
                    draws.Add(new TextDraw(l.Text[..shown], Num(l.X), $"{l.Baseline}-ascent", size,
                        $"enable='gte(t,{Num(At(first))})*lt(t,{Num(At(step + 1))})'", fade));
                }
                first = step + 1;
            }
        }
        return draws;
    }

    // Where each unit ends in the line (an index into it): after each visible character, or word.
    private static IEnumerable<int> Ends(string line, bool words)
    {
        var e = StringInfo.GetTextElementEnumerator(line);
        var inWord = false;
        var end = 0;
        while (e.MoveNext())
        {
            var element = e.GetTextElement();
            var blank = string.IsNullOrWhiteSpace(element);
            if (words && inWord && blank)
            {
                yield return end;
            }
            if (!words && !blank)
            {
                yield return e.ElementIndex + element.Length;
            }
            inWord = !blank;
            end = e.ElementIndex + element.Length;
        }
        if (words && inWord)
        {
            yield return end;
        }
    }
}
