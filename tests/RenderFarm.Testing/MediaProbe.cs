using System.Globalization;
using System.Text.Json;

namespace RenderFarm.Testing;

/// <summary>What ffprobe says of a file, as a user would check it.</summary>
public sealed record MediaFacts(double Duration, int Width, int Height, double Fps, string? VideoCodec, string? AudioCodec, string FormatName)
{
    public static async Task<MediaFacts> ProbeAsync(string path)
    {
        var json = await Tool.RunAsync("ffprobe", ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path]);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var streams = root.GetProperty("streams").EnumerateArray().ToList();
        var video = streams.FirstOrDefault(s => s.GetProperty("codec_type").GetString() == "video");
        var audio = streams.FirstOrDefault(s => s.GetProperty("codec_type").GetString() == "audio");
        var format = root.GetProperty("format");
        return new MediaFacts(
            double.Parse(format.GetProperty("duration").GetString()!, CultureInfo.InvariantCulture),
            video.ValueKind == JsonValueKind.Undefined ? 0 : video.GetProperty("width").GetInt32(),
            video.ValueKind == JsonValueKind.Undefined ? 0 : video.GetProperty("height").GetInt32(),
            video.ValueKind == JsonValueKind.Undefined ? 0 : Rate(video.GetProperty("avg_frame_rate").GetString()!),
            video.ValueKind == JsonValueKind.Undefined ? null : video.GetProperty("codec_name").GetString(),
            audio.ValueKind == JsonValueKind.Undefined ? null : audio.GetProperty("codec_name").GetString(),
            format.GetProperty("format_name").GetString()!);
    }

    /// <summary>Frames in the video stream, counted by decoding.</summary>
    public static async Task<int> CountFramesAsync(string path)
    {
        var output = await Tool.RunAsync("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0",
            "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path]);
        return int.Parse(System.Text.Encoding.ASCII.GetString(output).Trim(), CultureInfo.InvariantCulture);
    }

    private static double Rate(string fraction)
    {
        var parts = fraction.Split('/');
        var den = double.Parse(parts[1], CultureInfo.InvariantCulture);
        return den == 0 ? 0 : double.Parse(parts[0], CultureInfo.InvariantCulture) / den;
    }
}

/// <summary>One decoded frame as RGB bytes.</summary>
public sealed record Frame(int Width, int Height, byte[] Rgb)
{
    public static async Task<Frame> AtAsync(string path, double seconds, int width, int height)
    {
        var rgb = await Tool.RunAsync("ffmpeg", ["-v", "error", "-ss", seconds.ToString(CultureInfo.InvariantCulture), "-i", path,
            "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]);
        return new Frame(width, height, rgb);
    }

    public (byte R, byte G, byte B) Pixel(int x, int y)
    {
        var i = ((y * Width) + x) * 3;
        return (Rgb[i], Rgb[i + 1], Rgb[i + 2]);
    }

    /// <summary>Whether the pixel is within <paramref name="tolerance"/> of #RRGGBB (video encoding shifts colors a little).</summary>
    public bool Near(int x, int y, string hex, int tolerance = 24)
    {
        var (r, g, b) = Pixel(x, y);
        var want = Convert.FromHexString(hex.TrimStart('#'));
        return Math.Abs(r - want[0]) <= tolerance && Math.Abs(g - want[1]) <= tolerance && Math.Abs(b - want[2]) <= tolerance;
    }
}
