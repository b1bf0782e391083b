using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Node.Media;

namespace RenderFarm.Fuzz.Tests;

/// <summary>
/// Tiny local media made with ffmpeg at test time, served as https://media.fuzz/{name}: each file is
/// probed once with the node's own prober and reused by every canvas that names it.
/// </summary>
public sealed class FuzzMedia : IMediaSource, IDisposable
{
    public const string Clip = "clip.mp4", SilentClip = "silent.mp4", GreenClip = "green.mp4";
    public const string Still = "still.png", Logo = "logo.png", Tone = "tone.wav", Font = "font.ttf", Empty = "empty.ttf";
    public const string FontFamily = "Fuzz Sans";

    /// <summary>Every file, and one that is not there.</summary>
    public static readonly string[] All = [Clip, SilentClip, GreenClip, Still, Logo, Tone, Font, Empty, "missing.mp4"];

    private const string Base = "https://media.fuzz/";
    private readonly ConcurrentDictionary<string, Task<LocalMedia>> _probed = new();
    private readonly MediaProber _prober = new(Options.Create(new MediaOptions()), TimeProvider.System, NullLogger<MediaProber>.Instance);

    public FuzzMedia()
    {
        Directory = Path.Combine(Path.GetTempPath(), "rf-fuzz-media-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Make(Clip, "-f lavfi -i testsrc=size=64x36:rate=25:duration=2 -f lavfi -i sine=frequency=440:duration=2 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -shortest");
        Make(SilentClip, "-f lavfi -i testsrc2=size=48x48:rate=30:duration=1 -c:v libx264 -preset ultrafast -pix_fmt yuv420p");
        Make(GreenClip, "-f lavfi -i color=c=0x00FF00:size=64x36:rate=25:duration=1.5 -vf drawbox=x=16:y=8:w=24:h=16:color=red:t=fill -c:v libx264 -preset ultrafast -pix_fmt yuv420p");
        Make(Still, "-f lavfi -i testsrc=size=80x40 -frames:v 1");
        Make(Logo, "-f lavfi -i color=c=0xFF000080:size=32x32,format=rgba -frames:v 1");
        Make(Tone, "-f lavfi -i sine=frequency=660:duration=2.5");
        File.Copy("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", PathOf(Font));
        File.WriteAllBytes(PathOf(Empty), []);
    }

    public string Directory { get; }

    public static string Url(string name) => Base + name;

    public string PathOf(string name) => Path.Combine(Directory, name);

    public Task<LocalMedia> GetAsync(string src, CancellationToken cancellationToken) =>
        _probed.GetOrAdd(src, s => _prober.ProbeAsync(Local(s), CancellationToken.None));

    public Task<string> GetFileAsync(string src, long maxBytes, CancellationToken cancellationToken) => Task.FromResult(Local(src));

    // What a fetch would have answered: only the fuzz host's files exist.
    private string Local(string src)
    {
        var path = src.StartsWith(Base, StringComparison.Ordinal) ? PathOf(src[Base.Length..]) : null;
        return path is not null && !src[Base.Length..].Contains('/') && File.Exists(path)
            ? path
            : throw new MediaException(ErrorReasons.MediaFetchFailed, $"{src}: 404 Not Found");
    }

    private void Make(string name, string arguments)
    {
        var start = new ProcessStartInfo("ffmpeg", $"-v error -y {arguments} {PathOf(name)}") { RedirectStandardError = true };
        using var p = Process.Start(start)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"making {name}: {err}");
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
