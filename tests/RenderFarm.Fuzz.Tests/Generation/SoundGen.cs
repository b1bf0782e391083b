using CsCheck;
using RenderFarm.Contracts.V1;

namespace RenderFarm.Fuzz.Tests.Generation;

/// <summary>Generators of audio, speech and captions.</summary>
internal static class SoundGen
{
    public static Gen<AudioTrack> Audio(bool h) => Gen.Select(
        Values.Source(h, FuzzMedia.Tone, FuzzMedia.Clip),
        Values.Number(0, 2, h).Optional(),
        Gen.Frequency((3, Gen.Const(0.0)), (1, Values.Number(0, 1.5, h))),
        Values.Number(0, 1, h), Values.Number(0, 1, h), Gen.Bool, Gen.Bool,
        Gen.Select(Values.Number(0, 2, h).Optional(), Values.Number(0, 2, h).Optional()),
        (src, volume, trim, fadeIn, fadeOut, loop, duck, ramps) =>
        {
            var a = new AudioTrack { Src = src, TrimStart = trim, FadeIn = fadeIn, FadeOut = fadeOut, Loop = loop, Duck = duck };
            volume.IfSet(v => a.Volume = v);
            ramps.Item1.IfSet(v => a.DuckAttack = v);
            ramps.Item2.IfSet(v => a.DuckRelease = v);
            return a;
        });

    private static readonly string[] Spoken = ["hello", "one two", "render farm", "go", "it's ok", "fünf", "a,b"];

    public static Gen<Speech> Speech(bool h) => Gen.Select(
        Gen.OneOf(Spoken).Or(Values.Text(h), h),
        Gen.OneOf(Gen.Const(""), Gen.Const("en"), Gen.Const("de")).Or(Gen.OneOf(Gen.Const("../etc"), Gen.Const("en us"), Gen.Const("--x")), h),
        Gen.Frequency((3, Gen.Const(0)), (1, Gen.Int[80, 450].Or(Gen.OneOf(Gen.Const(5), Gen.Const(10_000)), h))),
        Values.Number(0, 2, h).Optional(),
        (text, voice, rate, volume) =>
        {
            var s = new Speech { Text = text, Voice = voice, Rate = rate };
            volume.IfSet(v => s.Volume = v);
            return s;
        });

    public static Gen<Captions> Captions(bool h) => Gen.Select(
        Gen.Select(Values.Enum<Captions.Types.Source>(h), Values.Enum<Captions.Types.Style>(h), Words(h),
            Gen.Frequency((1, Gen.Const(0)), (2, Gen.Int[4, 60].Or(Gen.Const(2000), h))), Values.Color(h), Values.Color(h)),
        Gen.Select(Values.Enum<Position>(h), VisualGen.Family(h), Values.Color(h), Values.Number(0, 20, h).Optional(), Values.Color(h)),
        (a, b) =>
        {
            var (source, style, words, size, color, highlight) = a;
            var (position, family, outline, outlineWidth, background) = b;
            var c = new Captions
            {
                Source = source, Style = style, FontSize = size, Color = color, HighlightColor = highlight,
                Position = position, FontFamily = family, OutlineColor = outline, BackgroundColor = background,
            };
            // Words go with EXPLICIT captions; a hostile canvas gives them anyway.
            if (source == Contracts.V1.Captions.Types.Source.Explicit || h)
            {
                c.Words.Add(words);
            }
            outlineWidth.IfSet(v => c.OutlineWidth = v);
            return c;
        });

    private static Gen<CaptionWord[]> Words(bool h) =>
        Gen.Select(Values.Text(h), Gen.Double[0, 2], Gen.Double[0.02, 1], Values.Number(0, 1, h), Gen.Int[0, 19],
            (text, start, length, bad, pick) => pick == 0 && h
                ? new CaptionWord { Text = text, Start = bad, End = bad - length }
                : new CaptionWord { Text = text, Start = start, End = start + length })
        .Array[0, 5];
}
