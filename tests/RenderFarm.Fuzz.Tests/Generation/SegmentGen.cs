using CsCheck;
using RenderFarm.Contracts.V1;

namespace RenderFarm.Fuzz.Tests.Generation;

/// <summary>A segment of any kind, with its timing, transition, layer and filters.</summary>
internal static class SegmentGen
{
    public static Gen<Segment> Any(bool h, int fps) =>
        Gen.Select(Kind(h), Values.Number(0, 2, h).Optional(), Values.Seconds(fps, 45, h).Optional())
            .SelectMany((kind, start, duration) => Extras(h, kind, start, duration));

    private static Gen<Segment> Kind(bool h) => Gen.Frequency(
        (3, VisualGen.Color(h).Select(c => new Segment { Color = c })),
        (2, VisualGen.Image(h).Select(i => new Segment { Image = i })),
        (2, VisualGen.Video(h).Select(v => new Segment { Video = v })),
        (2, VisualGen.Text(h).Select(t => new Segment { Text = t })),
        (1, VisualGen.Shape(h).Select(s => new Segment { Shape = s })),
        (1, SoundGen.Audio(h).Select(a => new Segment { Audio = a })),
        (1, SoundGen.Speech(h).Select(s => new Segment { Speech = s })),
        (1, SoundGen.Captions(h).Select(c => new Segment { Captions = c })),
        (h ? 1 : 0, Gen.Const(new Segment())));

    private static Gen<Segment> Extras(bool h, Segment kind, double? start, double? duration)
    {
        var visual = kind.KindCase is Segment.KindOneofCase.Image or Segment.KindOneofCase.Video or Segment.KindOneofCase.Color
            or Segment.KindOneofCase.Text or Segment.KindOneofCase.Shape;
        var picture = kind.KindCase is Segment.KindOneofCase.Image or Segment.KindOneofCase.Video or Segment.KindOneofCase.Color;
        var span = duration is { } d && double.IsFinite(d) && d > 0 ? d : 1;
        var layer = visual || h
            ? LayerGen.Layer(h, span, kind.KindCase is Segment.KindOneofCase.Image or Segment.KindOneofCase.Video).Optional(2, 1)
            : Gen.Const((Layer?)null);
        var filters = picture || h ? LayerGen.Filters(h).Optional(3, 1) : Gen.Const((Filters?)null);
        var transition = picture || h ? Transition(h).Optional(2, 1) : Gen.Const((Transition?)null);
        // Now and then a narrated scene: a base segment that, without a duration, lasts its narration.
        var narration = picture || h ? Narration(h).Optional(6, 1) : Gen.Const((Segment?)null);
        return Gen.Select(layer, filters, transition, narration, (l, f, t, n) =>
        {
            var s = kind.Clone();
            s.Layer = l;
            s.Transition = l is null ? t : h ? t : null;
            // Only a base segment is narrated: a well-meaning canvas leaves narrations off its layers.
            if (n is not null && (l is null || h))
            {
                s.Narration = n.Narration;
                if (n.HasNarrationPadding)
                {
                    s.NarrationPadding = n.NarrationPadding;
                }
            }
            // What layers do not yet apply is refused: a well-meaning canvas leaves it off its layers.
            s.Filters = l is null || h ? f : null;
            if (l is not null && !h)
            {
                Unlayered(s);
            }
            start.IfSet(v => s.Start = v);
            duration.IfSet(v => s.Duration = v);
            return s;
        });
    }

    private static void Unlayered(Segment s)
    {
        switch (s.KindCase)
        {
            case Segment.KindOneofCase.Video:
                s.Video.ChromaKey = null;
                break;
            case Segment.KindOneofCase.Image:
                s.Image.KenBurns = null;
                break;
            case Segment.KindOneofCase.Text:
                s.Text.Animation = TextOverlay.Types.Animation.Unspecified;
                break;
        }
    }

    // A narration and its padding, carried on a segment of their own to be copied onto the narrated one.
    private static Gen<Segment> Narration(bool h) => Gen.Select(SoundGen.Speech(h), Values.Number(0, 1, h).Optional(), (spoken, padding) =>
    {
        var n = new Segment { Narration = spoken };
        padding.IfSet(v => n.NarrationPadding = v);
        return n;
    });

    private static Gen<Transition> Transition(bool h) => Gen.Select(Values.Enum<Transition.Types.Kind>(h), Values.Number(0, 1, h),
        (kind, duration) => new Transition { Kind = kind, Duration = duration });
}
