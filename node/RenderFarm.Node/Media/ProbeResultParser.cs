using System.Globalization;
using System.Text.Json;
using RenderFarm.Contracts;

namespace RenderFarm.Node.Media;

/// <summary>Turns ffprobe's JSON into <see cref="LocalMedia"/>, refusing containers outside the allow-list.</summary>
internal static class ProbeResultParser
{
    /// <summary>Demuxers a node accepts; passed to ffprobe as -format_whitelist and checked again here.</summary>
    public static readonly string[] AllowedDemuxers =
    [
        "mov", "mp4", "m4a", "3gp", "matroska", "webm", "mp3", "wav", "ogg", "flac", "aac",
        "png_pipe", "jpeg_pipe", "webp_pipe", "gif", "image2",
    ];

    private static readonly Dictionary<string, string> ImagePipeByCodec = new(StringComparer.Ordinal)
    {
        ["png"] = "png_pipe", ["mjpeg"] = "jpeg_pipe", ["webp"] = "webp_pipe",
    };

    public static LocalMedia Parse(string json, string path)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var format = root.TryGetProperty("format", out var f) ? f : default;
        var formatNames = format.ValueKind == JsonValueKind.Object && format.TryGetProperty("format_name", out var n)
            ? (n.GetString() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            : [];
        if (formatNames.Length == 0 || !formatNames.Any(AllowedDemuxers.Contains))
        {
            throw Unsupported($"Container '{string.Join(',', formatNames)}' is not an accepted media format.");
        }
        var streams = root.TryGetProperty("streams", out var s) ? s.EnumerateArray().ToList() : [];
        var video = streams.FirstOrDefault(x => Text(x, "codec_type") == "video" && !IsAttachedPicture(x));
        var hasVideo = video.ValueKind == JsonValueKind.Object;
        var hasAudio = streams.Any(x => Text(x, "codec_type") == "audio");
        if (!hasVideo && !hasAudio)
        {
            throw Unsupported("The file holds neither a video nor an audio stream.");
        }
        var demuxer = formatNames[0];
        if (demuxer == "image2" && hasVideo && ImagePipeByCodec.TryGetValue(Text(video, "codec_name") ?? "", out var pipe))
        {
            demuxer = pipe;
        }
        var isImage = hasVideo && !hasAudio && (demuxer.EndsWith("_pipe", StringComparison.Ordinal) || demuxer == "image2"
            || (demuxer == "gif" && Text(video, "nb_frames") is null or "1" && Number(format, "duration") is null or < 0.2));
        return new LocalMedia(
            Path: path,
            Format: demuxer,
            Duration: isImage ? null : Number(format, "duration"),
            HasVideo: hasVideo,
            HasAudio: hasAudio,
            Width: hasVideo ? Integer(video, "width") : 0,
            Height: hasVideo ? Integer(video, "height") : 0,
            Rotation: hasVideo ? Rotation(video) : 0,
            Fps: hasVideo && !isImage ? Rate(Text(video, "avg_frame_rate")) : 0,
            IsImage: isImage)
        {
            VideoCodec = hasVideo ? Text(video, "codec_name") : null,
            PixelFormat = hasVideo ? Text(video, "pix_fmt") : null,
        };
    }

    /// <summary>Clockwise degrees to turn the picture for display, as the rotate tag states it (the display matrix holds the opposite).</summary>
    private static int Rotation(JsonElement video)
    {
        double? degrees = null;
        if (video.TryGetProperty("side_data_list", out var sideData))
        {
            foreach (var item in sideData.EnumerateArray())
            {
                if (item.TryGetProperty("rotation", out var r) && TryDouble(r, out var value))
                {
                    degrees = -value;
                }
            }
        }
        if (degrees is null && video.TryGetProperty("tags", out var tags) && tags.TryGetProperty("rotate", out var rotate)
            && TryDouble(rotate, out var tagged))
        {
            degrees = tagged;
        }
        var quarter = (int)Math.Round((degrees ?? 0) / 90.0);
        return ((quarter % 4) + 4) % 4 * 90;
    }

    private static bool IsAttachedPicture(JsonElement stream) =>
        stream.TryGetProperty("disposition", out var d) && d.TryGetProperty("attached_pic", out var a) && a.TryGetInt32(out var v) && v == 1;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v)
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()
            : null;

    private static double? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && TryDouble(v, out var d) ? d : null;

    private static int Integer(JsonElement element, string name) => (int)(Number(element, name) ?? 0);

    private static bool TryDouble(JsonElement value, out double result)
    {
        result = 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetDouble(out result),
            JsonValueKind.String => double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out result),
            _ => false,
        } && double.IsFinite(result);
    }

    private static double Rate(string? rational)
    {
        var parts = (rational ?? "").Split('/');
        return parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var num)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var den) && den > 0
            ? num / den
            : 0;
    }

    private static MediaException Unsupported(string message) => new(ErrorReasons.MediaUnsupported, message);
}
