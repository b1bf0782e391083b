using System.Globalization;

namespace RenderFarm.Fuzz.Tests;

/// <summary>
/// How much to fuzz, from the environment; the defaults make every CI run the same.
/// RENDERFARM_FUZZ_SEED picks another run, RENDERFARM_FUZZ_ITERATIONS and RENDERFARM_FUZZ_RENDERS
/// its size, RENDERFARM_FUZZ_CASE replays one case by the seed a failure printed.
/// </summary>
internal sealed record FuzzSettings(ulong Seed, int Iterations, int Renders, ulong? Case)
{
    public const ulong DefaultSeed = 20261201;

    public static FuzzSettings FromEnvironment() => new(
        Number("RENDERFARM_FUZZ_SEED") ?? DefaultSeed,
        (int)(Number("RENDERFARM_FUZZ_ITERATIONS") ?? 10_000),
        (int)(Number("RENDERFARM_FUZZ_RENDERS") ?? 200),
        Number("RENDERFARM_FUZZ_CASE"));

    /// <summary>The seed of case <paramref name="index"/>: one run's cases are independent of each other (splitmix64).</summary>
    public ulong CaseSeed(int index)
    {
        var z = Seed + (0x9E3779B97F4A7C15UL * (ulong)(index + 1));
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The case seeds of this run: the replayed one alone, or one per iteration.</summary>
    public IEnumerable<ulong> CaseSeeds(int count) =>
        Case is { } one ? [one] : Enumerable.Range(0, count).Select(CaseSeed);

    public override string ToString() =>
        $"seed {Seed}, {Iterations} iterations, {Renders} renders{(Case is { } c ? $", replaying case {c}" : "")}";

    private static ulong? Number(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? ulong.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture)
            : null;
}
