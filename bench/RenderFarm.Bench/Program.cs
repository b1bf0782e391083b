using System.Globalization;
using RenderFarm.Bench;
using RenderFarm.Embedded;

// scripts/bench scheduler runs this with a redis-server it started; Garnet runs in-process.
string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
int IntArg(string name, int fallback) => Arg(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

// scripts/bench api runs "watchers": N SSE streams of one production until its final state.
if (args.FirstOrDefault() == "watchers")
{
    return await SseWatchers.RunAsync(Arg("--url")!, Arg("--key")!, Arg("--production")!, IntArg("--watchers", 1000),
        Arg("--ready-file")!, TimeSpan.FromSeconds(IntArg("--timeout-seconds", 120)));
}

var settings = new BenchSettings(
    Productions: IntArg("--productions", 20_000),
    Nodes: IntArg("--nodes", 16),
    Slots: IntArg("--slots", 4),
    Rate: IntArg("--rate", 500),
    LatencySeconds: IntArg("--latency-seconds", 10),
    Warmup: IntArg("--warmup", 10_000),
    WarmupRounds: IntArg("--warmup-rounds", 12));
const double TargetJobsPerSecond = 5_000, TargetP99Ms = 10;

Console.WriteLine(FormattableString.Invariant(
    $"scheduler benchmark: {settings.Productions} productions, {settings.Nodes} simulated nodes × {settings.Slots} slots; latency at {settings.Rate}/s for {settings.LatencySeconds}s; after warm-up rounds of {settings.Warmup} productions (at most {settings.WarmupRounds}, until the JIT settles)"));
var results = new List<BenchResult>();
if (Arg("--redis") is { } redis)
{
    results.Add(await SchedulerBench.RunAsync("redis-server", $"{redis},abortConnect=false", settings));
}

if (!args.Contains("--no-garnet"))
{
    await using var garnet = EmbeddedRedis.Start(0, dataDirectory: null);
    results.Add(await SchedulerBench.RunAsync("garnet", garnet.Configuration, settings));
}

Console.WriteLine();
Console.WriteLine("| server | jobs | dispatch jobs/s | vs 5,000 | complete jobs/s | p50 ms | p99 ms | vs 10 ms | max ms | ping µs | stale |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
foreach (var r in results)
{
    var dispatch = r.Jobs / r.DispatchSeconds;
    Console.WriteLine(FormattableString.Invariant(
        $"| {r.Server} | {r.Jobs} | {dispatch:F0} | {dispatch / TargetJobsPerSecond:F2}× | {r.Jobs / r.CompleteSeconds:F0} | {r.P50:F2} | {r.P99:F2} | {TargetP99Ms / r.P99:F2}× | {r.Max:F1} | {r.PingMicros:F0} | {r.Rejected} |"));
}

Console.WriteLine();
foreach (var r in results)
{
    Console.WriteLine($"{r.Server} server time per job (throughput phase): {r.ScriptProfile}");
}

foreach (var r in results)
{
    Console.WriteLine(FormattableString.Invariant(
        $"{r.Server} JIT: {(r.Jit.WarmupRounds.Count == 0 ? "no warm-up" : $"warm-up rounds compiled {string.Join(" / ", r.Jit.WarmupRounds)} methods")}; the measured throughput phase {r.Jit.MeasuredMethods} ({r.Jit.MeasuredMilliseconds:F0} ms of JIT time)"));
}

Console.WriteLine("(\"vs\" columns: ≥ 1.00× meets the target; latency is submit → Assign received by the node, over "
    + FormattableString.Invariant($"{results.FirstOrDefault()?.LatencyJobs ?? 0} productions)"));
return results.All(r => r.Rejected == 0) ? 0 : 1;
