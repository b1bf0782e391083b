using RenderFarm.CanvasModel;
using RenderFarm.Contracts.V1;
using RenderFarm.Node.Media;
using RenderFarm.Node.Rendering.Text;
using static RenderFarm.Node.Rendering.Compilation.FilterText;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>A layer's own picture, of exactly the box size, straight alpha.</summary>
/// <param name="Label">Output pad.</param>
/// <param name="Still">
/// One gbrap frame (image, color, shape, text) to be looped, or the layer's yuva444p frames (video)
/// with timestamps 0, 1, … in 1/fps: YUV as decoded, so no frame is converted to RGB and back.
/// </param>
/// <param name="Inset">Where the picture lies in the box's picture when it is only the part that can show (text without a background); null when it is all of it.</param>
internal sealed record LayerPicture(string Label, bool Still, PictureInset? Inset = null)
{
    /// <summary>The layer's frames the picture leaves out at its start (a video seeked to a window that starts later); its first frame is that one.</summary>
    public long Lead { get; init; }

    /// <summary>The format of a still picture.</summary>
    public const string StillFormat = "gbrap";

    /// <summary>The format of a video's frames.</summary>
    public const string VideoFormat = "yuva444p";
}

/// <summary>A rectangle of a layer's picture, in its pixels.</summary>
internal readonly record struct PictureInset(int X, int Y, int Width, int Height);

/// <summary>
/// Builds a layer's picture in its box: an image or video cropped and fitted (CONTAIN leaves the
/// rest of the box transparent), a color, a shape filling the box, or text laid out inside it.
/// Color, shape and text are a color plane given an alpha mask, drawn white on black in gbrp.
/// </summary>
internal static class LayerSource
{
    /// <param name="inset">Whether the picture may be only the part of the box that can show (the layer never turns).</param>
    /// <param name="lead">The layer's frames before a window (a chunk) that starts later, which a video that does not loop leaves out.</param>
    public static LayerPicture Picture(GraphBuilder g, CanvasFrame frame, TimedSegment l, long frames, int width, int height, Fit fit,
        IReadOnlyDictionary<int, LocalMedia> media, RenderFonts fonts, List<ClipAudio> clipAudio, bool inset, long lead = 0)
    {
        var picture = Made(g, frame, l, frames, width, height, fit, media, fonts, clipAudio, inset, lead);
        // A video's adjustments are made as it is fitted (the key before its box is padded); a
        // still's once, on its one frame; animated frames (smart zoom, text animation) per frame.
        if (l.Segment.KindCase == Segment.KindOneofCase.Video || !PictureFilters.Any(l.Segment))
        {
            return picture;
        }
        var adjusted = PictureFilters.Apply(g, l.Segment, frame, picture.Label, alpha: true);
        var label = g.NewLabel("lsrc");
        g.Add($"[{adjusted}]format={(picture.Still ? LayerPicture.StillFormat : LayerPicture.VideoFormat)}[{label}]");
        return picture with { Label = label };
    }

    private static LayerPicture Made(GraphBuilder g, CanvasFrame frame, TimedSegment l, long frames, int width, int height, Fit fit,
        IReadOnlyDictionary<int, LocalMedia> media, RenderFonts fonts, List<ClipAudio> clipAudio, bool inset, long lead)
    {
        var s = l.Segment;
        var size = $"{width}x{height}";
        switch (s.KindCase)
        {
            case Segment.KindOneofCase.Image when media.TryGetValue(l.Index, out var image) && image.HasVideo:
                var still = g.AddInput(new RenderInput(image.Path, image.Format, 0, Loop: false));
                var source = $"{g.Video(still)}trim=end_frame=1";
                return s.Image.KenBurns is { } kb
                    ? LayerZoom.Picture(g, frame, s, kb, source, image, frames, width, height)
                    : new LayerPicture(Fitted(g, frame, s, source, width, height, fit, LayerPicture.StillFormat), true);
            case Segment.KindOneofCase.Video when media.TryGetValue(l.Index, out var video) && video.HasVideo:
                return Video(g, frame, l, frames, width, height, fit, video, clipAudio, s.Video.Loop ? 0 : lead);
            case Segment.KindOneofCase.Color:
                return new LayerPicture(Plane(g, RgbaColor.ParseOrDefault(s.Color.Color, RgbaColor.Black), size, null), true);
            case Segment.KindOneofCase.Shape:
                var fill = RgbaColor.ParseOrDefault(s.Shape.Color, RgbaColor.White);
                string? ellipse = null;
                if (s.Shape.Kind == ShapeOverlay.Types.Kind.Ellipse)
                {
                    const string inside = "'if(lte(pow((X+0.5-W/2)/(W/2),2)+pow((Y+0.5-H/2)/(H/2),2),1),255,0)'";
                    ellipse = g.NewLabel("lm");
                    g.Add($"{Mask(size)},geq=r={inside}:g={inside}:b={inside}[{ellipse}]");
                }
                return new LayerPicture(Plane(g, fill, size, ellipse), true);
            case Segment.KindOneofCase.Text:
                return Text(g, frame, l, frames, width, height, fonts.For(l.Index), inset);
            default:
                // A video without a picture stream: a transparent box, its sound still mixed.
                if (s.KindCase == Segment.KindOneofCase.Video && media.TryGetValue(l.Index, out var silent))
                {
                    AddAudio(g, l, frames, frame.Fps, silent, clipAudio);
                }
                var empty = g.NewLabel("lsrc");
                g.Add($"color=c=black@0:s={size},format=gbrap,trim=end_frame=1[{empty}]");
                return new LayerPicture(empty, true);
        }
    }

    /// <summary>
    /// The segment's own picture, cropped, before it is fitted into the box: the one place where
    /// a segment's picture filters (PictureFilters: adjustments, chroma key) are applied to a layer.
    /// It is in the source's format (a video's, YUV); the picture's format follows when it is scaled.
    /// </summary>
    private static string SourcePicture(Segment s) => s.Layer.Crop is { } c
        ? $",crop=w='max(1,iw*{Num(c.Width)})':h='max(1,ih*{Num(c.Height)})':x='iw*{Num(c.X)}':y='ih*{Num(c.Y)}'"
        : "";

    // Scaled in the source's own format and converted in the same pass to the picture's format
    // (a video's frames are never converted at their source size). A video's adjustments (its
    // key, filters) come between, at the box's scale, before CONTAIN pads it with transparency.
    // With input, head is GraphBuilder.Video(input, media)'s and its scale the graph's to place.
    internal static string Fitted(GraphBuilder g, CanvasFrame frame, Segment s, string head, int width, int height, Fit fit, string format, int? input = null)
    {
        string Scale(string? aspect) => input is { } i ? g.Scale(i, width, height, aspect) : GpuDecoding.CpuScale(width, height, aspect);
        var (scale, place) = fit switch
        {
            Fit.Cover => (Scale("increase"), $",crop={width}:{height}"),
            Fit.Fill => (Scale(null), ""),
            _ => (Scale("decrease"), $",pad={width}:{height}:(ow-iw)/2:(oh-ih)/2:color=black@0"),
        };
        var label = g.NewLabel("lsrc");
        if (s.KindCase != Segment.KindOneofCase.Video || !PictureFilters.Any(s))
        {
            g.Add($"{head}{SourcePicture(s)},{scale},format={format}{place},setsar=1[{label}]");
            return label;
        }
        var sized = g.NewLabel("lsrc");
        g.Add($"{head}{SourcePicture(s)},{scale}[{sized}]");
        g.Add($"[{PictureFilters.Apply(g, s, frame, sized)}]format={format}{place},setsar=1[{label}]");
        return label;
    }

    // lead: frames to leave out at the start, by seeking the clip on (whole output frames, so the
    // frames it shows are those the whole layer shows).
    private static LayerPicture Video(GraphBuilder g, CanvasFrame frame, TimedSegment l, long frames, int width, int height, Fit fit, LocalMedia video,
        List<ClipAudio> clipAudio, long lead)
    {
        var v = l.Segment.Video;
        var speed = v.HasSpeed ? v.Speed : 1;
        var input = AddAudio(g, l, frames, frame.Fps, video, clipAudio, lead * speed / frame.Fps);
        var speedFilter = Math.Abs(speed - 1) > 1e-9 ? $"setpts=PTS/{Num(speed)}," : "";
        // A crop comes before the scale, on the CPU: such a layer's source is decoded there.
        var gpu = l.Segment.Layer.Crop is null;
        var head = gpu ? g.Video(input, video) : g.Video(input);
        var fitted = Fitted(g, frame, l.Segment, $"{head}{speedFilter}fps={frame.Fps}:start_time=0", width, height, fit, LayerPicture.VideoFormat,
            gpu ? input : null);
        // Shorter than its segment, the clip holds its last frame (a looped input never ends).
        var hold = v.Loop ? "" : $"tpad=stop_mode=clone:stop_duration={Num(frames / (double)frame.Fps)},";
        var label = g.NewLabel("lsrc");
        g.Add($"[{fitted}]{hold}trim=end_frame={frames - lead},setpts=PTS-STARTPTS,settb=1/{frame.Fps}[{label}]");
        return new LayerPicture(label, false) { Lead = lead };
    }

    // The clip's input; its sound joins the mix unless muted.
    private static int AddAudio(GraphBuilder g, TimedSegment l, long frames, int fps, LocalMedia video, List<ClipAudio> clipAudio, double later = 0)
    {
        var v = l.Segment.Video;
        var input = g.AddInput(new RenderInput(video.Path, video.Format, ClipSeek.Of(video, v.TrimStart + later, v.Loop), v.Loop));
        if (video.HasAudio && !v.Muted)
        {
            clipAudio.Add(new ClipAudio(input, l, l.Start, frames / (double)fps));
        }
        return input;
    }

    // One frame of a color, its alpha from the color's own alpha times an optional mask (the
    // label of a gbrp frame drawn white where the picture is, on black).
    private static string Plane(GraphBuilder g, RgbaColor color, string size, string? mask)
    {
        var label = g.NewLabel("lsrc");
        var alpha = color.A < 255 ? $",colorchannelmixer=aa={Num(color.A / 255.0)}" : "";
        var plane = $"color=c={(color with { A = 255 }).ToFfmpeg()}:s={size},format=gbrap,trim=end_frame=1";
        if (mask is null)
        {
            g.Add($"{plane}{alpha}[{label}]");
            return label;
        }
        var c = g.NewLabel("lc");
        g.Add($"{plane}[{c}]");
        g.Add($"[{c}][{mask}]alphamerge{alpha}[{label}]");
        return label;
    }

    private static string Mask(string size) => $"color=c=black:s={size},format=gbrp,trim=end_frame=1";

    // The text wrapped at the box width, its block centred vertically and aligned horizontally in
    // the box; a background color fills the whole box behind it.
    private static LayerPicture Text(GraphBuilder g, CanvasFrame frame, TimedSegment l, long frames, int width, int height, FontFace font, bool inset)
    {
        if (l.Segment.Text.Animation is not (TextOverlay.Types.Animation.Unspecified or TextOverlay.Types.Animation.None))
        {
            return AnimatedText(g, frame, l, frames, width, height, font);
        }
        var t = l.Segment.Text;
        var (laid, layout, dx, top) = Laid(frame, t, width, height, font);
        var m = g.NewLabel("lm");
        g.Add($"{Mask($"{width}x{height}")}[{m}]");
        var drawn = TextDrawing.Draw(g, frame with { Width = width, Height = height }, l with { Segment = new Segment(l.Segment) { Text = laid } }, font, "enable=1", m);
        var text = Plane(g, RgbaColor.ParseOrDefault(t.Color, RgbaColor.White), $"{width}x{height}", drawn);
        if (!string.IsNullOrEmpty(t.BackgroundColor))
        {
            var background = Plane(g, RgbaColor.ParseOrDefault(t.BackgroundColor, RgbaColor.Black), $"{width}x{height}", null);
            var label = g.NewLabel("lsrc");
            g.Add($"[{background}][{text}]overlay=format=rgb,format=gbrap[{label}]");
            return new LayerPicture(label, true);
        }
        // Without a background only the text's block shows (with half the font size around it for
        // glyphs that overhang it): the rest of the box is never placed, converted or overlaid.
        var pad = layout.FontSize / 2;
        var (x0, y0) = (Math.Max(0, dx - pad), Math.Max(0, top - pad));
        var (x1, y1) = (Math.Min(width, dx + layout.Width + pad), Math.Min(height, top + layout.Height + pad));
        if (!inset || x1 <= x0 || y1 <= y0 || (x1 - x0 == width && y1 - y0 == height))
        {
            return new LayerPicture(text, true);
        }
        var block = g.NewLabel("lsrc");
        g.Add($"[{text}]crop={x1 - x0}:{y1 - y0}:{x0}:{y0}[{block}]");
        return new LayerPicture(block, true, new PictureInset(x0, y0, x1 - x0, y1 - y0));
    }

    // The text laid out in the box, drawn white (a mask) at its place: its block centred
    // vertically and aligned horizontally; and that block's corner in the box.
    private static (TextOverlay Laid, TextLayout Layout, int X, int Y) Laid(CanvasFrame frame, TextOverlay t, int width, int height, FontFace font)
    {
        var laid = t.Clone();
        (laid.X, laid.Y, laid.MaxWidth, laid.Color, laid.BackgroundColor, laid.FadeIn, laid.FadeOut) = (0, 0, 1, "#FFFFFF", "", 0, 0);
        var layout = TextLayout.Of(laid, frame with { Width = width, Height = height }, font);
        var dx = t.Align switch
        {
            TextOverlay.Types.Align.Left => 0,
            TextOverlay.Types.Align.Right => width - layout.Width,
            _ => (width - layout.Width) / 2,
        };
        var top = (height - layout.Height) / 2;
        (laid.X, laid.Y) = (dx / (double)width, top / (double)height);
        return (laid, layout, dx, top);
    }

    // A text layer with an entrance animation: its mask drawn per frame in the layer's own time
    // (0 at its first frame), as the overlay's drawtexts would be, over the frames of its color
    // (and background); the whole box, as the animation may draw outside the finished block.
    private static LayerPicture AnimatedText(GraphBuilder g, CanvasFrame frame, TimedSegment l, long frames, int width, int height, FontFace font)
    {
        var t = l.Segment.Text;
        var size = $"{width}x{height}";
        var (laid, _, _, _) = Laid(frame, t, width, height, font);
        string Frames(RgbaColor c, string format) => $"color=c={(c with { A = 255 }).ToFfmpeg()}:s={size}:r={frame.Fps},format={format},trim=end_frame={frames}";
        var m = g.NewLabel("lm");
        g.Add($"{Frames(RgbaColor.Black, "gbrp")}[{m}]");
        var local = l with { Segment = new Segment(l.Segment) { Text = laid }, Start = 0 };
        var drawn = TextDrawing.Draw(g, frame with { Width = width, Height = height }, local, font, "enable=1", m);
        var color = RgbaColor.ParseOrDefault(t.Color, RgbaColor.White);
        var (plane, text) = (g.NewLabel("lc"), g.NewLabel("lsrc"));
        g.Add($"{Frames(color, "gbrap")}[{plane}]");
        var alpha = color.A < 255 ? $",colorchannelmixer=aa={Num(color.A / 255.0)}" : "";
        g.Add($"[{plane}][{drawn}]alphamerge{alpha}[{text}]");
        var label = g.NewLabel("lsrc");
        if (string.IsNullOrEmpty(t.BackgroundColor))
        {
            g.Add($"[{text}]format={LayerPicture.VideoFormat}[{label}]");
            return new LayerPicture(label, false);
        }
        var background = RgbaColor.ParseOrDefault(t.BackgroundColor, RgbaColor.Black);
        var (bg, shown) = (g.NewLabel("lc"), g.NewLabel("lsrc"));
        var bgAlpha = background.A < 255 ? $",colorchannelmixer=aa={Num(background.A / 255.0)}" : "";
        g.Add($"{Frames(background, "gbrap")}{bgAlpha}[{bg}]");
        g.Add($"[{bg}][{text}]overlay=format=rgb:eof_action=pass,format={LayerPicture.VideoFormat}[{label}]");
        return new LayerPicture(label, false);
    }
}
