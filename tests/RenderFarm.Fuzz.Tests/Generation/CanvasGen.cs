using CsCheck;
using RenderFarm.Contracts.V1;

namespace RenderFarm.Fuzz.Tests.Generation;

/// <summary>A request to fuzz: a canvas and its output spec.</summary>
internal sealed record FuzzRequest(Canvas Canvas, OutputSpec Output)
{
    public override string ToString() => $"{{\"canvas\": {Canvas}, \"output\": {Output}}}";
}

/// <summary>
/// Whole requests: about two in five hostile (every field may be out of contract), the rest
/// well-meaning (inside the contract, though rules that tie fields together may still refuse them).
/// Frames are small and videos short, so a sample of them renders in little time.
/// </summary>
internal static class CanvasGen
{
    public static readonly Gen<FuzzRequest> Request =
        Gen.Frequency((3, Gen.Const(false)), (2, Gen.Const(true)))
            .SelectMany(h => Gen.OneOf(Gen.Const(24), Gen.Const(25), Gen.Const(30), Gen.Const(30), Gen.Const(60))
                .Or(Gen.OneOf(Gen.Const(0), Gen.Const(29), Gen.Const(-1), Gen.Const(1000)), h)
                .SelectMany(fps => OfFrameRate(h, fps)));

    private static Gen<FuzzRequest> OfFrameRate(bool h, int fps) => Gen.Select(
        Frame(h),
        Values.Color(h),
        SegmentGen.Any(h, fps > 0 ? fps : 30).Array[h ? 0 : 1, 5],
        Fonts(h),
        Output(h),
        (frame, background, segments, fonts, output) =>
        {
            var canvas = new Canvas { Preset = frame.Preset, Width = frame.Width, Height = frame.Height, Fps = fps, BackgroundColor = background };
            canvas.Segments.Add(segments);
            canvas.Fonts.Add(fonts);
            // A well-meaning canvas brings the font its text names.
            if (!h && canvas.Fonts.Count == 0 && segments.Any(UsesCanvasFont))
            {
                canvas.Fonts.Add(new Font { Family = FuzzMedia.FontFamily, Src = FuzzMedia.Url(FuzzMedia.Font) });
            }
            return new FuzzRequest(canvas, output);
        });

    private static bool UsesCanvasFont(Segment s) =>
        (s.KindCase == Segment.KindOneofCase.Text && s.Text.FontFamily == FuzzMedia.FontFamily)
        || (s.KindCase == Segment.KindOneofCase.Captions && s.Captions.FontFamily == FuzzMedia.FontFamily);

    private static Gen<(Canvas.Types.Preset Preset, int Width, int Height)> Frame(bool h) => Gen.Frequency(
        (12, Gen.Select(Gen.OneOf(Gen.Const(64), Gen.Const(96), Gen.Const(128)), Gen.OneOf(Gen.Const(64), Gen.Const(72)),
            (w, height) => (Canvas.Types.Preset.Unspecified, w, height))),
        (1, Values.Enum<Canvas.Types.Preset>(h).Select(p => (p, 0, 0))),
        (h ? 2 : 0, Gen.Select(Gen.Int[-10, 5000], Gen.Int[-10, 5000], (w, height) => (Canvas.Types.Preset.Unspecified, w, height))));

    private static Gen<Font[]> Fonts(bool h) => Gen.Frequency(
        (4, Gen.Const(Array.Empty<Font>())),
        (1, Gen.Const(new[] { new Font { Family = FuzzMedia.FontFamily, Src = FuzzMedia.Url(FuzzMedia.Font) } })),
        (h ? 1 : 0, Gen.Select(Gen.OneOf(Gen.Const(""), Gen.Const(FuzzMedia.FontFamily), Gen.Const("fuzz sans"), Gen.Const("Bad\nName")),
                Values.Source(h, FuzzMedia.Font, FuzzMedia.Still, FuzzMedia.Empty), (family, src) => new Font { Family = family, Src = src })
            .Array[1, 10]));

    private static Gen<OutputSpec> Output(bool h) => Gen.Select(
        Values.Enum<OutputSpec.Types.Format>(h), Values.Enum<OutputSpec.Types.VideoCodec>(h), Values.Enum<OutputSpec.Types.Quality>(h), Gen.Bool,
        (format, codec, quality, poster) => new OutputSpec { Format = format, VideoCodec = codec, Quality = quality, Poster = poster });
}
