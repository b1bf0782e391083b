using System.Diagnostics;

namespace RenderFarm.Node.Rendering;

/// <summary>Finds FFmpeg processes still writing a given file, to make sure a cancelled render is really gone.</summary>
internal static class FfmpegProcesses
{
    /// <summary>Ids of live processes whose command line names <paramref name="outputPath"/>.</summary>
    public static IReadOnlyList<int> Writing(string outputPath)
    {
        var found = new List<int>();
        if (!OperatingSystem.IsLinux())
        {
            return found;
        }
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (cmdline.Contains("ffmpeg", StringComparison.Ordinal) && cmdline.Contains(outputPath, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return found;
    }

    /// <summary>Kills (by id) every FFmpeg still writing <paramref name="outputPath"/> and waits for it to exit.</summary>
    public static int KillWriting(string outputPath)
    {
        var killed = 0;
        foreach (var pid in Writing(outputPath))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                process.WaitForExit(5000);
                killed++;
            }
            catch (ArgumentException)
            {
            }
            catch (InvalidOperationException)
            {
            }
        }
        return killed;
    }
}
