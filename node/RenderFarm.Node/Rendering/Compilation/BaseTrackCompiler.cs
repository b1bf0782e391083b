using RenderFarm.CanvasModel;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Node.Media;
using static RenderFarm.Node.Rendering.Compilation.FilterText;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>A clip's own audio, to be mixed: which input, when, how long.</summary>
internal sealed record ClipAudio(int Input, TimedSegment Segment, double Start, double Duration);

/// <summary>
/// Builds the base track: each base segment normalised to the frame, joined in time order by
/// concat (cuts, with background-colored gaps) or xfade (transitions), trimmed to the total.
/// All timing is counted in frames so joins never drift.
/// </summary>
internal static class BaseTrackCompiler
{
    public static (string Label, List<ClipAudio> ClipAudio) Compile(GraphBuilder g, CanvasFrame frame, Timeline timeline, IReadOnlyDictionary<int, LocalMedia> media)
    {
        var fps = frame.Fps;
        // Frame i shows time i/fps: a span [a, b) holds the frames from ceil(a·fps) up to ceil(b·fps).
        // Boundaries come from absolute times, so rounding never adds or drops a frame at a join.
        long Frames(double seconds) => (long)Math.Ceiling(seconds * fps - 1e-6);
        var clipAudio = new List<ClipAudio>();
        var total = Math.Max(1, Frames(timeline.Duration));
        // A window (a chunk) needs only the pieces whose frames it shows: the chain starts at the
        // first of them (the frames of that piece before the window skipped where the piece can
        // start later) and ends with the window.
        var (from, to) = g.Window ?? (0, total);
        var end = Math.Min(total, to);
        string? acc = null;
        long accFrames = 0;
        // Adds frames [at, at + count) to the chain: the first thing added fixes where it starts.
        void Append(string piece, long at)
        {
            g.FrameOrigin = acc is null ? at : g.FrameOrigin;
            acc = Concat(g, acc, piece, fps);
        }
        // Where each piece goes: its first frame, its frame count and the frames it blends into the last.
        var layout = new List<(TimedSegment P, long Start, long N, long Td)>();
        foreach (var p in timeline.Segments.Where(s => SegmentKinds.IsBase(s.Segment) && s.Duration > 0).OrderBy(s => s.Start).ThenBy(s => s.Index))
        {
            var blended = layout.Count > 0 && p.TransitionDuration > 0;
            var start = blended ? Math.Clamp(Frames(p.Start), 0, accFrames) : Math.Max(accFrames, Frames(p.Start));
            var n = Math.Max(1, Frames(p.Start + p.Duration) - start);
            var td = blended ? Math.Min(accFrames - start, n) : 0;
            start = blended ? accFrames - td : start;
            layout.Add((p, start, n, td));
            accFrames = start + n;
        }
        accFrames = 0;
        for (var i = 0; i < layout.Count && layout[i].Start < end; i++)
        {
            var (p, start, n, td) = layout[i];
            if (start > accFrames && g.Shows(accFrames, start - accFrames))
            {
                var gap = acc is null ? Math.Max(accFrames, from) : accFrames;
                Append(Color(g, frame, frame.Background, start - gap), gap);
            }
            if (g.Shows(start, n))
            {
                // The chain's first piece skips its frames before the window, but not those the
                // next piece blends into. A piece blended into one the window does not need blends
                // before the window: it simply starts the chain.
                var blendsOn = i + 1 < layout.Count && layout[i + 1].Td > 0 ? layout[i + 1].Start - start : n;
                var skip = acc is null ? Math.Clamp(from - start, 0, blendsOn) : 0;
                var (piece, skipped) = Piece(g, frame, p, n, skip, media, clipAudio, start / (double)fps);
                if (acc is not null && td > 0)
                {
                    acc = XFade(g, acc, piece, p.Segment.Transition.Kind, td, accFrames - td - g.FrameOrigin, fps);
                }
                else
                {
                    Append(piece, start + skipped);
                }
            }
            accFrames = start + n;
        }
        accFrames = Math.Min(accFrames, end);
        if (accFrames < end)
        {
            var gap = acc is null ? Math.Max(accFrames, from) : accFrames;
            Append(Color(g, frame, frame.Background, end - gap), gap);
        }
        var label = g.NewLabel("vbase");
        // trim=duration drops the frame just before the limit in ffmpeg 5.1; counting frames is exact.
        // Timestamps are absolute: a window's picture starts at its origin's time.
        var origin = g.FrameOrigin == 0 ? "" : $"+{g.FrameOrigin}";
        g.Add($"[{acc}]trim=end_frame={end - g.FrameOrigin},setpts=PTS-STARTPTS{origin}[{label}]");
        return (label, clipAudio);
    }

    // The piece's picture, less its first frames up to skip where it can start later (a window's
    // first piece); returns how many it left out.
    private static (string Label, long Skipped) Piece(GraphBuilder g, CanvasFrame frame, TimedSegment p, long n, long skip, IReadOnlyDictionary<int, LocalMedia> media,
        List<ClipAudio> clipAudio, double start)
    {
        var s = p.Segment;
        switch (s.KindCase)
        {
            case Segment.KindOneofCase.Color:
                var color = RgbaColor.ParseOrDefault(s.Color.Color, frame.Background);
                return (PictureFilters.Apply(g, s, frame, Color(g, frame, Over(color, frame.Background), n - skip)), skip);
            case Segment.KindOneofCase.Image when media.TryGetValue(p.Index, out var image) && image.HasVideo:
                return Image(g, frame, p, n, skip, image);
            case Segment.KindOneofCase.Video when media.TryGetValue(p.Index, out var video):
                var speed = s.Video.HasSpeed ? s.Video.Speed : 1;
                // -ss on the input seeks both streams of the clip alike, keeping them in sync. A
                // window's first piece seeks on to its first frame (whole output frames, so the
                // frames it shows are those a whole render shows).
                var seek = s.Video.TrimStart + (skip * speed / frame.Fps);
                var input = g.AddInput(new RenderInput(video.Path, video.Format, ClipSeek.Of(video, seek, loop: false), Loop: false));
                if (video.HasAudio && !s.Video.Muted)
                {
                    clipAudio.Add(new ClipAudio(input, p, start, n / (double)frame.Fps));
                }
                return (video.HasVideo ? Video(g, frame, s, input, video, speed, n - skip) : Color(g, frame, frame.Background, n - skip), skip);
            default:
                throw new RenderException(ErrorReasons.MediaMissing, $"canvas.segments[{p.Index}] has no usable media.");
        }
    }

    private static string Video(GraphBuilder g, CanvasFrame frame, Segment s, int input, LocalMedia video, double speed, long n)
    {
        var fitted = g.NewLabel("fit");
        // Timestamps stay as the input seek left them (0 at trimStart, the same origin as the clip's
        // audio): rebasing on the first frame would shift the picture by up to a source frame, times
        // 1/speed, against the sound. fps=…:start_time=0 holds the first frame from 0.
        var speedFilter = Math.Abs(speed - 1) > 1e-9 ? $"setpts=PTS/{Num(speed)}" : "null";
        if (Fitting.ScalesOnce(s.Video.Fit))
        {
            Fitting.Add(g, $"{g.Video(input, video)}{speedFilter}", frame, s.Video.Fit, fitted, input);
        }
        else
        {
            Fitting.Add(g, $"{g.Video(input)}{speedFilter}", frame, s.Video.Fit, fitted);
        }
        var picture = PictureFilters.Apply(g, s, frame, fitted);
        var keyed = PictureFilters.Keys(s);
        var label = g.NewLabel("v");
        var seconds = n / (double)frame.Fps;
        g.Add($"[{picture}]fps={frame.Fps}:start_time=0,{(keyed ? "" : "format=yuv420p,")}tpad=stop_mode=clone:stop_duration={Num(seconds)},"
            + $"trim=end_frame={n},setpts=PTS-STARTPTS,settb=1/{frame.Fps}[{label}]");
        if (!keyed)
        {
            return label;
        }
        // Keyed-out parts show the canvas background.
        var flat = g.NewLabel("v");
        g.Add($"[{Color(g, frame, frame.Background, n)}][{label}]overlay=format=auto,format=yuv420p,settb=1/{frame.Fps}[{flat}]");
        return flat;
    }

    private static (string Label, long Skipped) Image(GraphBuilder g, CanvasFrame frame, TimedSegment p, long n, long skip, LocalMedia image)
    {
        var input = g.AddInput(new RenderInput(image.Path, image.Format, 0, Loop: false));
        var source = $"{g.Video(input)}trim=end_frame=1";
        var sized = image.Width > 0 && image.Height > 0;
        if (sized)
        {
            // Transparent pixels show the canvas background, whatever color they hide.
            var (still, backdrop, flat) = (g.NewLabel("still"), g.NewLabel("bd"), g.NewLabel("flat"));
            g.Add($"{source}[{still}]");
            g.Add($"color=c={(frame.Background with { A = 255 }).ToFfmpeg()}:s={image.Width}x{image.Height},trim=end_frame=1[{backdrop}]");
            g.Add($"[{backdrop}][{still}]overlay=format=rgb[{flat}]");
            source = $"[{flat}]null";
        }
        var clip = p.Segment.Image;
        var label = g.NewLabel("v");
        string Tail(long frames) => $"fps={frame.Fps},format=yuv420p,trim=end_frame={frames},setpts=PTS-STARTPTS,settb=1/{frame.Fps}[{label}]";
        var moving = g.NewLabel("kb");
        // A moving picture skips only whole pieces of its motion (SmartZoom): the frames it shows
        // are those of a whole render.
        (string, long) Finish(string input, long skipped)
        {
            g.Add($"[{PictureFilters.Apply(g, p.Segment, frame, input)}]{Tail(n - skipped)}");
            return (label, skipped);
        }
        // kenBurns rectangles are of the image itself; zoom and pan (and kenBurns on an image of
        // unknown size) move over the picture fitted to the frame.
        if (clip.KenBurns is { } kb && sized)
        {
            var aspect = frame.Width / (double)frame.Height;
            var skipped = SmartZoom.Add(g, source, image.Width, image.Height, SmartZoom.Of(kb.From, image.Width, image.Height, aspect),
                SmartZoom.Of(kb.To, image.Width, image.Height, aspect), kb.Easing, frame, n, moving, skip: skip);
            return Finish(moving, skipped);
        }
        var fitted = g.NewLabel("fit");
        Fitting.Add(g, source, frame, clip.Fit, fitted);
        var rects = clip.KenBurns is { } unsized ? (unsized.From, unsized.To) : SmartZoom.OfZoomAndPan(clip);
        if (rects is var (from, to))
        {
            var (w, h, aspect) = (frame.Width, frame.Height, frame.Width / (double)frame.Height);
            var skipped = SmartZoom.Add(g, $"[{fitted}]null", w, h, SmartZoom.Of(from, w, h, aspect), SmartZoom.Of(to, w, h, aspect),
                clip.KenBurns?.Easing ?? Easing.Linear, frame, n, moving, skip: skip);
            return Finish(moving, skipped);
        }
        // A still picture is adjusted once, before it is repeated.
        var adjusted = PictureFilters.Apply(g, p.Segment, frame, fitted);
        // fps states the frame rate that setpts=N implies: xfade refuses inputs without one.
        g.Add($"[{adjusted}]loop=loop=-1:size=1:start=0,settb=1/{frame.Fps},setpts=N,{Tail(n - skip)}");
        return (label, skip);
    }

    private static string Color(GraphBuilder g, CanvasFrame frame, RgbaColor color, long n)
    {
        var label = g.NewLabel("v");
        var opaque = color with { A = 255 };
        g.Add($"color=c={opaque.ToFfmpeg()}:s={frame.Width}x{frame.Height}:r={frame.Fps}:d={Num((n - 0.5) / frame.Fps)},"
            + $"format=yuv420p,setsar=1,settb=1/{frame.Fps}[{label}]");
        return label;
    }

    private static string Concat(GraphBuilder g, string? acc, string next, int fps)
    {
        if (acc is null)
        {
            return next;
        }
        var label = g.NewLabel("cat");
        // concat ends an input at its last frame plus the mean frame duration, which a one-frame
        // input does not have: the next piece would start on that frame's timestamp and a frame be
        // dropped. The pieces are constant-rate from 0, so frame N is simply at N/fps.
        g.Add($"[{acc}][{next}]concat=n=2:v=1:a=0,settb=1/{fps},setpts=N[{label}]");
        return label;
    }

    private static string XFade(GraphBuilder g, string acc, string next, Transition.Types.Kind kind, long frames, long offsetFrames, int fps)
    {
        var label = g.NewLabel("xf");
        // ffmpeg 5.1's xfade ends the transition as soon as its first input reports EOF, even
        // with that input's last frame still queued (a smart zoom's pieces hand over their last
        // frame and EOF at once): that frame is dropped and every later one is stamped a frame
        // late. The frame count stays right but the gap became a duplicated frame at the output's
        // -r (an MP4 one frame longer than its timeline). xfade still gives one frame for each
        // frame of its first input before the offset and each of its second, so setpts=N is exact.
        g.Add($"[{acc}][{next}]xfade=transition={TransitionName(kind)}:duration={Num(frames / (double)fps)}:offset={Num(offsetFrames / (double)fps)},"
            + $"settb=1/{fps},setpts=N[{label}]");
        return label;
    }

    private static string TransitionName(Transition.Types.Kind kind) => kind switch
    {
        Transition.Types.Kind.Dissolve => "dissolve",
        Transition.Types.Kind.WipeLeft => "wipeleft",
        Transition.Types.Kind.WipeRight => "wiperight",
        Transition.Types.Kind.WipeUp => "wipeup",
        Transition.Types.Kind.WipeDown => "wipedown",
        Transition.Types.Kind.SlideLeft => "slideleft",
        Transition.Types.Kind.SlideRight => "slideright",
        Transition.Types.Kind.SlideUp => "slideup",
        Transition.Types.Kind.SlideDown => "slidedown",
        Transition.Types.Kind.CircleOpen => "circleopen",
        _ => "fade",
    };

    // A translucent base color is shown over the background, so blend it here.
    private static RgbaColor Over(RgbaColor top, RgbaColor bottom)
    {
        byte Mix(byte t, byte b) => (byte)Math.Round((t * top.A + b * (255 - top.A)) / 255.0);
        return new RgbaColor(Mix(top.R, bottom.R), Mix(top.G, bottom.G), Mix(top.B, bottom.B));
    }
}
