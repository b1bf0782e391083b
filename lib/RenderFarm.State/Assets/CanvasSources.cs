using RenderFarm.Contracts.V1;

namespace RenderFarm.State;

/// <summary>A file a canvas references: its field path, its URL, and how to point the field elsewhere.</summary>
/// <param name="Field">Proto JSON path, e.g. <c>canvas.segments[2].image.src</c> or <c>canvas.fonts[0].src</c>.</param>
/// <param name="Src">The http(s) or <c>asset://</c> URL.</param>
/// <param name="Set">Replaces the URL in the canvas (a presigned URL for an asset).</param>
public sealed record CanvasSource(string Field, string Src, Action<string> Set);

/// <summary>Every media and font source of a canvas, the places an <c>asset://</c> reference may stand.</summary>
public static class CanvasSources
{
    /// <summary>The sources of <paramref name="canvas"/> in field order: segments' media, then fonts.</summary>
    public static IEnumerable<CanvasSource> Of(Canvas canvas)
    {
        for (var i = 0; i < canvas.Segments.Count; i++)
        {
            var s = canvas.Segments[i];
            var path = $"canvas.segments[{i}]";
            switch (s.KindCase)
            {
                case Segment.KindOneofCase.Video:
                    yield return new($"{path}.video.src", s.Video.Src, url => s.Video.Src = url);
                    break;
                case Segment.KindOneofCase.Image:
                    yield return new($"{path}.image.src", s.Image.Src, url => s.Image.Src = url);
                    break;
                case Segment.KindOneofCase.Audio:
                    yield return new($"{path}.audio.src", s.Audio.Src, url => s.Audio.Src = url);
                    break;
            }
        }
        for (var i = 0; i < canvas.Fonts.Count; i++)
        {
            var font = canvas.Fonts[i];
            yield return new($"canvas.fonts[{i}].src", font.Src, url => font.Src = url);
        }
    }
}
