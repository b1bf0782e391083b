using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace RenderFarm.Node.Tests.Text;

/// <summary>Where a picture has "ink" (pixels matching a test), read from decoded frames.</summary>
internal sealed record InkBox(int MinX, int MinY, int MaxX, int MaxY, int Count)
{
    public double CenterX => (MinX + MaxX) / 2.0;

    /// <summary>The ink of an rgb24 frame inside [x0, x1) × [y0, y1).</summary>
    public static InkBox? Of(byte[] rgb, int width, Func<byte, byte, byte, bool> ink, int x0 = 0, int y0 = 0, int x1 = int.MaxValue, int y1 = int.MaxValue)
    {
        var height = rgb.Length / 3 / width;
        (int minX, int minY, int maxX, int maxY, int count) b = (int.MaxValue, int.MaxValue, -1, -1, 0);
        for (var y = Math.Max(0, y0); y < Math.Min(height, y1); y++)
        {
            for (var x = Math.Max(0, x0); x < Math.Min(width, x1); x++)
            {
                var i = ((y * width) + x) * 3;
                if (ink(rgb[i], rgb[i + 1], rgb[i + 2]))
                {
                    b = (Math.Min(b.minX, x), Math.Min(b.minY, y), Math.Max(b.maxX, x), Math.Max(b.maxY, y), b.count + 1);
                }
            }
        }
        return b.count == 0 ? null : new InkBox(b.minX, b.minY, b.maxX, b.maxY, b.count);
    }

    /// <summary>Rows with ink, grouped into runs separated by empty rows: one run per text line.</summary>
    public static List<InkBox> Lines(byte[] rgb, int width, Func<byte, byte, byte, bool> ink)
    {
        var height = rgb.Length / 3 / width;
        var lines = new List<InkBox>();
        var start = -1;
        for (var y = 0; y <= height; y++)
        {
            var has = y < height && Of(rgb, width, ink, 0, y, width, y + 1) is not null;
            if (has && start < 0)
            {
                start = y;
            }
            else if (!has && start >= 0)
            {
                lines.Add(Of(rgb, width, ink, 0, start, width, y)!);
                start = -1;
            }
        }
        return lines;
    }

    public static bool White(byte r, byte g, byte b) => r > 128 && g > 128 && b > 128;

    /// <summary>Every frame of <paramref name="video"/> as rgb24, in order.</summary>
    public static List<byte[]> Frames(string video, int width, int height)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-v", "error", "-i", video, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        using var ms = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(ms);
        p.WaitForExit();
        return [.. ms.ToArray().Chunk(width * height * 3)];
    }

    /// <summary>The sounding stretches of a file's audio, [start, end) seconds, by silencedetect at -40 dB.</summary>
    public static List<(double Start, double End)> Sounds(string media)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var a in (string[])["-hide_banner", "-i", media, "-af", "silencedetect=noise=-40dB:d=0.08", "-f", "null", "-"])
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        var log = p.StandardError.ReadToEnd();
        p.WaitForExit();
        static double Num(Match m) => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var silenceStarts = Regex.Matches(log, @"silence_start: ([\d.]+)").Select(Num).ToList();
        var silenceEnds = Regex.Matches(log, @"silence_end: ([\d.]+)").Select(Num).ToList();
        // Sound runs from each silence end (or the start, when the file does not open silent) to the next silence start.
        if (silenceStarts.Count == 0 || silenceStarts[0] > 0.01)
        {
            silenceEnds.Insert(0, 0);
        }
        return [.. silenceEnds.Select(e => (e, silenceStarts.Where(s => s > e).DefaultIfEmpty(double.MaxValue).Min()))];
    }
}
