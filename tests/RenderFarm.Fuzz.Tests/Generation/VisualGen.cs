using CsCheck;
using RenderFarm.Contracts.V1;

namespace RenderFarm.Fuzz.Tests.Generation;

/// <summary>Generators of the visual segment kinds: video, image, color, text, shape.</summary>
internal static class VisualGen
{
    public static Gen<VideoClip> Video(bool h) => Gen.Select(
        Values.Source(h, FuzzMedia.Clip, FuzzMedia.SilentClip, FuzzMedia.GreenClip),
        Gen.Frequency((3, Gen.Const(0.0)), (1, Values.Number(0, 2.5, h))),
        Values.Number(0, 2, h).Optional(),
        Gen.Bool,
        Values.Enum<Fit>(h),
        Gen.Frequency((3, Gen.Const((double?)null)), (1, Values.Number(0.25, 4, h).Select(v => (double?)v))),
        ChromaKey(h).Optional(3, 1),
        Gen.Bool,
        (src, trim, volume, muted, fit, speed, key, loop) =>
        {
            var clip = new VideoClip { Src = src, TrimStart = trim, Muted = muted, Fit = fit, ChromaKey = key, Loop = loop };
            volume.IfSet(v => clip.Volume = v);
            speed.IfSet(v => clip.Speed = v);
            return clip;
        });

    private static Gen<ChromaKey> ChromaKey(bool h) => Gen.Select(
        Gen.OneOf(Gen.Const("#00FF00"), Values.Color(h)),
        Values.Number(0.01, 1, h).Optional(),
        Values.Number(0, 1, h).Optional(),
        (color, similarity, blend) =>
        {
            var k = new ChromaKey { Color = color };
            similarity.IfSet(v => k.Similarity = v);
            blend.IfSet(v => k.Blend = v);
            return k;
        });

    public static Gen<ImageClip> Image(bool h) => Gen.Select(
        Values.Source(h, FuzzMedia.Still, FuzzMedia.Logo),
        Values.Enum<Fit>(h),
        Values.Enum<ImageClip.Types.Zoom>(h),
        Values.Enum<ImageClip.Types.Pan>(h),
        KenBurns(h).Optional(2, 1),
        (src, fit, zoom, pan, kb) =>
        {
            var image = new ImageClip { Src = src, Fit = fit, KenBurns = kb };
            // kenBurns replaces zoom and pan: a well-meaning canvas sets one of them.
            if (kb is null || h)
            {
                image.Zoom = zoom;
                image.Pan = pan;
            }
            return image;
        });

    private static Gen<KenBurns> KenBurns(bool h) => Gen.Select(Rect(h).Optional(1, 6), Rect(h).Optional(1, 6), Values.Enum<Easing>(h),
        (from, to, easing) => new KenBurns { From = from, To = to, Easing = easing });

    /// <summary>A rectangle of a picture, fractions; inside it unless hostile.</summary>
    public static Gen<Rect> Rect(bool h) => Gen.Select(Values.Number(0, 0.9, h), Values.Number(0, 0.9, h), Gen.Double[0.05, 1], Gen.Double[0.05, 1],
            Values.Number(0, 1, h), Values.Number(0, 1, h), Gen.Int[0, 9],
        (x, y, fw, fh, rw, rh, pick) => pick == 0 && h
            ? new Rect { X = x, Y = y, Width = rw, Height = rh }
            : new Rect { X = x, Y = y, Width = Inside(x, fw), Height = Inside(y, fh) });

    private static double Inside(double origin, double fraction) =>
        double.IsFinite(origin) && origin is >= 0 and < 1 ? Math.Max(0.01, (1 - origin) * fraction) : fraction;

    public static Gen<ColorClip> Color(bool h) => Gen.Frequency((8, Values.Color(false).Where(c => c.Length > 0)), (1, Values.Color(h)))
        .Select(c => new ColorClip { Color = c });

    public static Gen<TextOverlay> Text(bool h) => Gen.Select(
        Gen.Select(Values.Text(h), Family(h), Gen.Frequency((1, Gen.Const(0)), (3, Gen.Int[4, 120].Or(Gen.OneOf(Gen.Const(1000), Gen.Const(-3), Gen.Const(3)), h))),
            Values.Color(h), Values.Enum<Position>(h), Values.Number(0, 1, h).Optional(), Values.Number(0, 1, h).Optional(),
            Values.Enum<TextOverlay.Types.Align>(h)),
        Gen.Select(Values.Number(0.05, 1, h).Optional(), Values.Color(h), Values.Number(0, 1, h), Values.Number(0, 1, h),
            Values.Enum<TextOverlay.Types.Animation>(h), Values.Number(0.05, 2, h).Optional()),
        (a, b) =>
        {
            var (text, family, size, color, position, x, y, align) = a;
            var (maxWidth, background, fadeIn, fadeOut, animation, animationDuration) = b;
            var t = new TextOverlay
            {
                Text = text, FontFamily = family, FontSize = size, Color = color, Position = position, Align = align,
                BackgroundColor = background, FadeIn = fadeIn, FadeOut = fadeOut, Animation = animation,
            };
            x.IfSet(v => t.X = v);
            y.IfSet(v => t.Y = v);
            maxWidth.IfSet(v => t.MaxWidth = v);
            animationDuration.IfSet(v => t.AnimationDuration = v);
            return t;
        });

    /// <summary>The default font, an installed family, the canvas's own font, or (hostile) a family nobody has.</summary>
    public static Gen<string> Family(bool h) =>
        Gen.OneOf(Gen.Const(""), Gen.Const(""), Gen.Const("DejaVu Sans"), Gen.Const(FuzzMedia.FontFamily))
            .Or(Gen.OneOf(Gen.Const("No Such Family"), Gen.Const("Tab\tFamily"), Gen.Const(new string('f', 201))), h);

    public static Gen<ShapeOverlay> Shape(bool h) => Gen.Select(
        Values.Enum<ShapeOverlay.Types.Kind>(h), Values.Number(-1, 1, h), Values.Number(-1, 1, h),
        Values.Number(0.01, 2, h), Values.Number(0.01, 2, h), Gen.Frequency((8, Values.Color(false).Where(c => c.Length > 0)), (1, Values.Color(h))),
        (kind, x, y, w, height, color) => new ShapeOverlay { Kind = kind, X = x, Y = y, Width = w, Height = height, Color = color });
}
