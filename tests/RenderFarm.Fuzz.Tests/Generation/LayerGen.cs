using CsCheck;
using RenderFarm.Contracts.V1;

namespace RenderFarm.Fuzz.Tests.Generation;

/// <summary>Generators of <c>segment.layer</c> and <c>segment.filters</c>.</summary>
internal static class LayerGen
{
    /// <param name="span">Seconds the segment lasts: keyframes fall inside it unless hostile.</param>
    /// <param name="croppable">An image or video: a source to crop.</param>
    public static Gen<Layer> Layer(bool h, double span, bool croppable) => Gen.Select(
        Gen.Select(Values.Number(-0.5, 1, h).Optional(), Values.Number(-0.5, 1, h).Optional(),
            Values.Number(0.05, 1.5, h).Or(Gen.Const(double.NaN), h), Values.Number(0.05, 1.5, h), Gen.Int[0, 11]),
        Gen.Select(Values.Number(0, 1, h).Optional(), Gen.Frequency((2, Gen.Const(0.0)), (1, Values.Number(-720, 720, h))),
            Gen.Int[-3, 3], Values.Enum<Fit>(h)),
        croppable || h ? VisualGen.Rect(h).Optional(3, 1) : Gen.Const((Rect?)null),
        Keyframes(h, span),
        (box, look, crop, keyframes) =>
        {
            var (x, y, width, height, missing) = box;
            var (opacity, rotation, z, fit) = look;
            var layer = new Layer { Rotation = rotation, ZIndex = z, Fit = fit == Fit.ContainBlur && !h ? Fit.Cover : fit, Crop = crop };
            x.IfSet(v => layer.X = v);
            y.IfSet(v => layer.Y = v);
            // A hostile canvas now and then gives a layer no box.
            if (!(h && missing == 0))
            {
                layer.Width = width;
            }
            if (!(h && missing == 1))
            {
                layer.Height = height;
            }
            opacity.IfSet(v => layer.Opacity = v);
            layer.Keyframes.Add(keyframes);
            return layer;
        });

    private static Gen<Keyframe[]> Keyframes(bool h, double span) =>
        Gen.Select(Gen.Double[0, 1], Values.Number(-0.5, 1, h).Optional(), Values.Number(-0.5, 1, h).Optional(),
                Values.Number(0.05, 1.5, h).Optional(), Values.Number(0.05, 1.5, h).Optional(), Values.Number(0, 1, h).Optional(),
                Values.Number(-360, 360, h).Optional(), Values.Enum<Easing>(h))
            .Select(k => Keyframe(k.Item1 * span, k.Item2, k.Item3, k.Item4, k.Item5, k.Item6, k.Item7, k.Item8))
            .Array[0, 4]
            .Select(frames => h ? frames : [.. frames.DistinctBy(k => k.Time).OrderBy(k => k.Time)]);

    private static Keyframe Keyframe(double time, double? x, double? y, double? w, double? height, double? opacity, double? rotation, Easing easing)
    {
        var k = new Keyframe { Time = time, Easing = easing };
        x.IfSet(v => k.X = v);
        y.IfSet(v => k.Y = v);
        w.IfSet(v => k.Width = v);
        height.IfSet(v => k.Height = v);
        opacity.IfSet(v => k.Opacity = v);
        rotation.IfSet(v => k.Rotation = v);
        return k;
    }

    public static Gen<Filters> Filters(bool h) => Gen.Select(
        Values.Number(-1, 1, h).Optional(), Values.Number(0, 4, h).Optional(), Values.Number(0, 3, h).Optional(),
        Gen.Frequency((2, Gen.Const(0.0)), (1, Values.Number(0, 0.1, h))), Gen.Bool,
        (brightness, contrast, saturation, blur, gray) =>
        {
            var f = new Filters { Blur = blur, Grayscale = gray };
            brightness.IfSet(v => f.Brightness = v);
            contrast.IfSet(v => f.Contrast = v);
            saturation.IfSet(v => f.Saturation = v);
            return f;
        });
}
