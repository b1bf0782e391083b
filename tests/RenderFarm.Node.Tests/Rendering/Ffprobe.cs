using System.Diagnostics;
using System.Globalization;

namespace RenderFarm.Node.Tests.Rendering;

/// <summary>ffprobe answers the render tests check against.</summary>
internal static class Ffprobe
{
    /// <summary>ffprobe's trimmed stdout for <paramref name="arguments"/> (after "-v error").</summary>
    public static string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-v", "error", .. arguments])
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"ffprobe {string.Join(' ', arguments)}: {p.StandardError.ReadToEnd()}");
        return output.Trim();
    }

    /// <summary>Frames in the video stream, counted by decoding.</summary>
    public static int CountFrames(string path) =>
        int.Parse(Run("-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path), CultureInfo.InvariantCulture);

    /// <summary>Presentation times of the video frames, in seconds.</summary>
    public static List<double> FrameTimes(string path) =>
        [.. Run("-select_streams", "v:0", "-show_entries", "frame=pts_time", "-of", "default=nw=1:nk=1", path)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(t => double.Parse(t, CultureInfo.InvariantCulture))];

    /// <summary>The container's duration in seconds.</summary>
    public static double Duration(string path) =>
        double.Parse(Run("-show_entries", "format=duration", "-of", "csv=p=0", path), CultureInfo.InvariantCulture);
}
