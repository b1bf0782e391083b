namespace RenderFarm.Node.Tests.Rendering;

/// <summary>
/// Not a test: writes the farm's FFmpeg command for a canvas so that a benchmark can run and time
/// it against a hand-written command (scripts/bench layers). Runs only when RENDERFARM_BENCH_DIR is
/// set: it reads canvas.json there (media as https://media.test/NAME, files of media/ there) and
/// writes the compiled graph under render/ and the command line to command. output.json and
/// renditions.json there, when present, are the output spec and the renditions.
/// RENDERFARM_BENCH_GPU_DECODERS (codecs, comma-separated) compiles the GPU path for them, as on a
/// node whose probe found them (scripts/bench gpu). RENDERFARM_BENCH_CHUNK (FROM,TO) compiles the
/// command of a chunk job for frames [FROM, TO) (scripts/bench chunked).
/// </summary>
public sealed class BenchmarkCommand
{
    private const string Variable = "RENDERFARM_BENCH_DIR";

    [BenchmarkFact]
    public async Task WritesTheFarmsCommand()
    {
        var dir = Environment.GetEnvironmentVariable(Variable)!;
        using var media = TestMedia.At(Path.Combine(dir, "media"));
        using var h = new RenderHarness(media);
        var output = Path.Combine(dir, "output.json");
        var renditions = Path.Combine(dir, "renditions.json");
        var line = await h.CommandLineAsync(await File.ReadAllTextAsync(Path.Combine(dir, "canvas.json")),
            File.Exists(output) ? await File.ReadAllTextAsync(output) : "{}", dir,
            File.Exists(renditions) ? await File.ReadAllTextAsync(renditions) : "[]",
            gpuDecoders: (Environment.GetEnvironmentVariable("RENDERFARM_BENCH_GPU_DECODERS") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries),
            chunk: Environment.GetEnvironmentVariable("RENDERFARM_BENCH_CHUNK") is { Length: > 0 } window
                ? new Contracts.V1.ChunkFrames { StartFrame = long.Parse(window.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture), EndFrame = long.Parse(window.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture) }
                : null);
        await File.WriteAllTextAsync(Path.Combine(dir, "command"), line);
    }

    private sealed class BenchmarkFactAttribute : FactAttribute
    {
        public BenchmarkFactAttribute()
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
            {
                Skip = $"a benchmark's helper: set {Variable} (scripts/bench layers does)";
            }
        }
    }
}
