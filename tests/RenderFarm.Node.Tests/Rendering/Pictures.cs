using System.Diagnostics;

namespace RenderFarm.Node.Tests.Rendering;

/// <summary>Every frame of a rendered video, decoded to RGB, with what a viewer would look for in them.</summary>
internal sealed class Pictures(int width, int height, List<byte[]> frames)
{
    public int Width => width;

    public int Height => height;

    public int Count => frames.Count;

    public static Pictures Of(string video, int width, int height)
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
        return new Pictures(width, height, [.. ms.ToArray().Chunk(width * height * 3)]);
    }

    public (int R, int G, int B) Pixel(int frame, int x, int y)
    {
        var i = ((y * width) + x) * 3;
        var f = frames[frame];
        return (f[i], f[i + 1], f[i + 2]);
    }

    /// <summary>Index of the first frame whose pixel (x, y) is near white, or -1.</summary>
    public int FirstWhite(int x, int y) =>
        Enumerable.Range(0, Count).FirstOrDefault(i => Pixel(i, x, y) is { R: > 200, G: > 200, B: > 200 }, -1);

    /// <summary>Share of the frame's pixels that satisfy <paramref name="test"/>.</summary>
    public double Share(int frame, Func<(int R, int G, int B), bool> test)
    {
        var hits = 0;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                hits += test(Pixel(frame, x, y)) ? 1 : 0;
            }
        }
        return hits / (double)(width * height);
    }

    /// <summary>Bounding box of the bright pixels of a frame: (left, top, width, height), or null.</summary>
    public (int X, int Y, int W, int H)? Bright(int frame)
    {
        int minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = Pixel(frame, x, y);
                if (r + g + b > 3 * 128)
                {
                    (minX, minY, maxX, maxY) = (Math.Min(minX, x), Math.Min(minY, y), Math.Max(maxX, x), Math.Max(maxY, y));
                }
            }
        }
        return maxX < 0 ? null : (minX, minY, maxX - minX + 1, maxY - minY + 1);
    }

    /// <summary>Standard deviation of the luma along row <paramref name="y"/> between x0 and x1: low where blurred or flat.</summary>
    public double RowContrast(int frame, int y, int x0, int x1)
    {
        var luma = Enumerable.Range(x0, x1 - x0).Select(x => Pixel(frame, x, y)).Select(p => (0.299 * p.R) + (0.587 * p.G) + (0.114 * p.B)).ToList();
        var mean = luma.Average();
        return Math.Sqrt(luma.Average(l => (l - mean) * (l - mean)));
    }
}
