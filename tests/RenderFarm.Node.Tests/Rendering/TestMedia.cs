using System.Diagnostics;

namespace RenderFarm.Node.Tests.Rendering;

/// <summary>Small media files made with ffmpeg lavfi at test time, shared by the render tests.</summary>
public sealed class TestMedia : IDisposable
{
    private readonly bool _owned = true;

    public TestMedia()
    {
        Directory = Path.Combine(Path.GetTempPath(), "rf-media-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Make("clip.mp4", "-f lavfi -i testsrc=size=320x240:rate=25:duration=3 -f lavfi -i sine=frequency=440:duration=3 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -shortest");
        Make("silent.mp4", "-f lavfi -i testsrc2=size=160x120:rate=25:duration=2 -c:v libx264 -preset ultrafast -pix_fmt yuv420p");
        Make("landscape.mp4", "-f lavfi -i color=c=white:size=160x80:rate=25:duration=2 -c:v libx264 -preset ultrafast -pix_fmt yuv420p");
        // FFmpeg 5.1 writes a rotate tag as a display matrix only when stream-copying.
        Make("rotated.mp4", $"-i {PathOf("landscape.mp4")} -c copy -metadata:s:v:0 rotate=90");
        Make("red.png", "-f lavfi -i color=c=red:size=200x100 -frames:v 1");
        Make("tone.wav", "-f lavfi -i sine=frequency=660:duration=4");
        File.WriteAllBytes(Path.Combine(Directory, "corrupt.mp4"), [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251))]);
    }

    // Files someone else made and keeps (benchmarks): nothing is made, nothing deleted.
    private TestMedia(string directory) => (Directory, _owned) = (directory, false);

    public string Directory { get; }

    /// <summary>The media already in <paramref name="directory"/>, left there on Dispose.</summary>
    public static TestMedia At(string directory) => new(directory);

    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>Writes <paramref name="name"/> with ffmpeg <paramref name="arguments"/> (output path appended).</summary>
    public void Make(string name, string arguments)
    {
        var start = new ProcessStartInfo("ffmpeg", $"-v error -y {arguments} {PathOf(name)}") { RedirectStandardError = true };
        using var p = Process.Start(start)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"making {name}: {err}");
    }

    public void Dispose()
    {
        if (_owned)
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
