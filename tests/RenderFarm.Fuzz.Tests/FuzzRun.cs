using CsCheck;
using RenderFarm.Fuzz.Tests.Generation;

namespace RenderFarm.Fuzz.Tests;

/// <summary>Runs a property over the run's cases in a fixed order; a failure is shrunk by CsCheck before it is reported.</summary>
internal static class FuzzRun
{
    /// <summary>The request case <paramref name="seed"/> stands for: the same on every machine.</summary>
    public static FuzzRequest Generate(ulong seed) => CanvasGen.Request.Generate(new PCG(0, seed), null, out _);

    /// <summary>
    /// Shrinks a failure of <paramref name="property"/> at case <paramref name="seed"/>: CsCheck starts from that case
    /// and searches smaller ones for <paramref name="shrinkSeconds"/>, then throws with the smallest failing request.
    /// </summary>
    public static Exception Shrunk(ulong seed, Exception failure, Action<FuzzRequest> property, int shrinkSeconds)
    {
        var header = $"Case {seed} failed (replay: RENDERFARM_FUZZ_CASE={seed}): {failure.Message}\n{Generate(seed)}";
        try
        {
            CanvasGen.Request.Sample(property, seed: new PCG(0, seed).ToString(), time: shrinkSeconds, threads: 1, print: r => r.ToString());
        }
        catch (Exception shrunk)
        {
            return new Xunit.Sdk.XunitException($"{header}\n\nShrunk:\n{shrunk.Message}", failure);
        }
        return new Xunit.Sdk.XunitException(header, failure);
    }
}
