using System.Collections.Concurrent;
using System.Diagnostics;
using RenderFarm.CanvasModel;
using RenderFarm.Contracts;
using RenderFarm.Fuzz.Tests.Generation;
using Xunit.Abstractions;

namespace RenderFarm.Fuzz.Tests;

/// <summary>
/// Fuzzes the whole canvas contract (issue 12): thousands of random requests, valid and hostile,
/// through validation and the node's compiler, and a sample of the valid ones through a real render.
/// Reproducible: the seed is fixed unless RENDERFARM_FUZZ_SEED says otherwise (see <see cref="FuzzSettings"/>).
/// </summary>
public sealed class ContractFuzzTests(FuzzMedia media, ITestOutputHelper output) : IClassFixture<FuzzMedia>
{
    private static readonly int Workers = Math.Max(2, Environment.ProcessorCount);

    // Cases of the default seed that fail on a bug not fixed yet; each is a skipped test in
    // ShrunkCaseTests that names it. Remove a case here when its test is un-skipped.
    private static readonly HashSet<ulong> KnownBugs = [];

    [Fact]
    public void EveryRequest_IsValidOrRefusedWithFieldPaths_AndEveryValidCanvasCompilesToAWellFormedGraph()
    {
        var settings = FuzzSettings.FromEnvironment();
        using var node = new FuzzNode(media);
        var counts = new FuzzCounts();
        var failures = new ConcurrentBag<(int Index, ulong Seed, Exception Error)>();
        var clock = Stopwatch.StartNew();
        var seeds = settings.CaseSeeds(settings.Iterations).ToList();
        Parallel.For(0, seeds.Count, new ParallelOptions { MaxDegreeOfParallelism = Workers }, i =>
        {
            try
            {
                ValidateAndCompile(FuzzRun.Generate(seeds[i]), node, counts);
            }
            catch (Exception e)
            {
                failures.Add((i, seeds[i], e));
            }
        });
        output.WriteLine($"{settings}: {counts} in {clock.Elapsed.TotalSeconds:0.0} s");
        if (!failures.IsEmpty)
        {
            var first = failures.MinBy(f => f.Index);
            output.WriteLine($"{failures.Count} failing cases: {string.Join(", ", failures.OrderBy(f => f.Index).Select(f => f.Seed))}");
            throw FuzzRun.Shrunk(first.Seed, first.Error, r => ValidateAndCompile(r, node, new FuzzCounts()), shrinkSeconds: 60);
        }
        Assert.True(counts.Valid > 0 && counts.Invalid > 0, $"the generator should make valid and invalid canvases: {counts}");
        Assert.True(settings.Case is not null || counts.Narrated > 0, $"the generator should make narrated scenes: {counts}");
    }

    [Fact]
    public async Task ASampleOfValidCanvases_RendersWithTheExpectedFramesAndDuration()
    {
        var settings = FuzzSettings.FromEnvironment();
        using var node = new FuzzNode(media);
        var counts = new FuzzCounts();
        var clock = Stopwatch.StartNew();
        var sample = new List<(ulong Seed, FuzzRequest Request)>();
        foreach (var seed in settings.CaseSeeds(settings.Iterations * 10))
        {
            if (sample.Count >= settings.Renders)
            {
                break;
            }
            if (KnownBugs.Contains(seed))
            {
                output.WriteLine($"case {seed} left out: a known bug, kept as a skipped test in ShrunkCaseTests");
                continue;
            }
            var request = FuzzRun.Generate(seed);
            if (Renderable(request, node, counts))
            {
                sample.Add((seed, request));
            }
        }
        var failures = new ConcurrentBag<(ulong Seed, Exception Error)>();
        await Parallel.ForEachAsync(sample, new ParallelOptions { MaxDegreeOfParallelism = Workers }, async (c, _) =>
        {
            try
            {
                await RenderAsync(c.Request, node);
                counts.CountRendered();
                if (Narrations.Narrated(c.Request.Canvas).Any())
                {
                    counts.CountNarratedRendered();
                }
            }
            catch (Exception e)
            {
                failures.Add((c.Seed, e));
            }
        });
        output.WriteLine($"{settings}: {counts} in {clock.Elapsed.TotalSeconds:0.0} s");
        if (!failures.IsEmpty)
        {
            foreach (var f in failures)
            {
                output.WriteLine($"case {f.Seed}: {f.Error.Message}");
            }
            var first = failures.MinBy(f => f.Seed);
            throw FuzzRun.Shrunk(first.Seed, first.Error, r =>
            {
                if (Renderable(r, node, new FuzzCounts()))
                {
                    RenderAsync(r, node).GetAwaiter().GetResult();
                }
            }, shrinkSeconds: 120);
        }
        Assert.True(counts.Rendered >= Math.Min(settings.Renders, 1), $"too few renderable canvases: {counts}");
        Assert.True(settings.Case is not null || settings.Renders < 50 || counts.NarratedRendered > 0, $"the sample should render narrated scenes: {counts}");
    }

    private static void ValidateAndCompile(FuzzRequest request, FuzzNode node, FuzzCounts counts) =>
        Compile(request, node, counts);

    // Validates (the property holds for every request) and, for a valid one, compiles and checks the graph.
    private static Compilation? Compile(FuzzRequest request, FuzzNode node, FuzzCounts counts)
    {
        counts.CountGenerated();
        var violations = ValidationProperty.Check(request);
        if (violations.Count > 0)
        {
            counts.CountInvalid();
            foreach (var v in violations)
            {
                counts.Reasons.AddOrUpdate(v.Reason, 1, (_, n) => n + 1);
            }
            return null;
        }
        counts.CountValid();
        var scratch = node.NewFolder();
        try
        {
            var compilation = node.Compilation.CompileAsync(request.Canvas, scratch).GetAwaiter().GetResult();
            if (compilation.Refusal is { } refusal)
            {
                Assert.True(CanvasCompilation.MediaRefusals.Contains(refusal.Code), $"{refusal.Code}: {refusal.Message}");
                counts.Refused.AddOrUpdate(refusal.Code, 1, (_, n) => n + 1);
                return null;
            }
            var problems = GraphShape.Problems(compilation.Render!);
            Assert.True(problems.Count == 0, $"malformed graph: {string.Join("; ", problems)}\n{Short(compilation.Render!.FilterScript)}");
            counts.CountCompiled();
            if (Narrations.Narrated(request.Canvas).Any())
            {
                counts.CountNarrated();
            }
            return compilation;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static string Short(string s) => s.Length > 3000 ? s[..3000] + "…" : s;

    // Small and short enough to render in the sample.
    private static bool Renderable(FuzzRequest request, FuzzNode node, FuzzCounts counts) =>
        Compile(request, node, counts) is { Render: not null } c
        && c.Frame.Width * c.Frame.Height <= 128 * 72
        && c.Timeline.Duration <= 2;

    private static async Task RenderAsync(FuzzRequest request, FuzzNode node)
    {
        var work = node.NewFolder();
        try
        {
            var expected = await node.ExpectedFramesAsync(request.Canvas, node.NewFolder());
            var rendered = await node.RenderAsync(request.Canvas, request.Output, work);
            var fps = CanvasFrame.Of(request.Canvas).Fps;
            if (OutputKinds.IsAudioOnly(request.Output.Format))
            {
                // Audio only (MP3, WAV): no picture; the sound lasts the video's length (MP3 frames round it up by up to ~50 ms).
                var sound = FuzzNode.ProbeAudio(rendered.OutputPath);
                Assert.True(Math.Abs(sound - expected / (double)fps) <= 0.1,
                    $"audio lasts {sound:0.####} s, expected {expected / (double)fps:0.####} s");
                return;
            }
            var (frames, duration) = FuzzNode.Probe(rendered.OutputPath);
            Assert.True(frames == expected, $"{frames} frames, expected {expected} at {fps} fps");
            Assert.True(Math.Abs(duration - expected / (double)fps) <= 1.0 / fps + 1e-3,
                $"lasts {duration:0.####} s, expected {expected / (double)fps:0.####} s ({expected} frames at {fps} fps)");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
