using System.Globalization;
using System.Runtime;
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
    WarmupRounds: IntArg("--warmup-rounds", 12))
{
    Runs = IntArg("--runs", 3),
    Tenants = IntArg("--tenants", 1),
    ServerPid = Arg("--redis-pid") is { } pid ? int.Parse(pid, CultureInfo.InvariantCulture) : null,
};
const double TargetJobsPerSecond = 5_000, TargetP99Ms = 10;
const string Patience = "asyncTimeout=60000,syncTimeout=60000";

Console.WriteLine(FormattableString.Invariant(
    $"scheduler benchmark: {settings.Productions} productions from {settings.Tenants} tenants, {settings.Nodes} simulated nodes × {settings.Slots} slots; latency at {settings.Rate}/s for {settings.LatencySeconds}s; {settings.Runs} measured runs after warm-up rounds of {settings.Warmup} productions (at most {settings.WarmupRounds}, until the JIT settles)"));
Console.WriteLine(FormattableString.Invariant(
    $"machine: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}; {(GCSettings.IsServerGC ? "server" : "workstation")} GC ({GCSettings.LatencyMode}); tiered PGO {Environment.GetEnvironmentVariable("DOTNET_TieredPGO") ?? "default"}"));
var results = new List<BenchResult>();
if (Arg("--redis") is { } redis)
{
    // A shared machine under load can stall a reply past the client's default 5 s (a run here died
    // of a RedisTimeoutException at a load average of 40 on 2 cores): wait rather than abort.
    results.AddRange(await SchedulerBench.RunAsync("redis-server", $"{redis},abortConnect=false,{Patience}", settings));
}

if (!args.Contains("--no-garnet"))
{
    await using var garnet = EmbeddedRedis.Start(0, dataDirectory: null);
    results.AddRange(await SchedulerBench.RunAsync("garnet", $"{garnet.Configuration},{Patience}", settings with { ServerPid = null }));
}

Console.WriteLine();
Console.WriteLine("| server | run | dispatch jobs/s | vs 5,000 | complete jobs/s | p50 ms | p99 ms | vs 10 ms | max ms | ping µs | stale | jobs per CPU-s | machine during the throughput phase |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
foreach (var (r, run) in results.Select((r, i) => (r, results.Take(i).Count(o => o.Server == r.Server) + 1)))
{
    var dispatch = r.Jobs / r.DispatchSeconds;
    Console.WriteLine(FormattableString.Invariant(
        $"| {r.Server} | {run} | {dispatch:F0} | {dispatch / TargetJobsPerSecond:F2}× | {r.Jobs / r.CompleteSeconds:F0} | {r.P50:F2} | {r.P99:F2} | {TargetP99Ms / r.P99:F2}× | {r.Max:F1} | {r.PingMicros:F0} | {r.Rejected} | {r.Jobs / r.Machine.OwnSeconds:F0} | {r.Machine} |"));
}

Console.WriteLine();
foreach (var server in results.GroupBy(r => r.Server))
{
    var dispatch = Median(server.Select(r => r.Jobs / r.DispatchSeconds));
    var p99 = Median(server.Select(r => r.P99));
    Console.WriteLine(FormattableString.Invariant(
        $"{server.Key} median of {server.Count()} runs: {dispatch:F0} jobs/s ({dispatch / TargetJobsPerSecond:F2}× the target), p99 {p99:F2} ms ({TargetP99Ms / p99:F2}×); benchmark's CPU share {Median(server.Select(r => r.Machine.Own)):P0}, others' {Median(server.Select(r => r.Machine.Others)):P0}; {Median(server.Select(r => r.Jobs / r.Machine.OwnSeconds)):F0} jobs per CPU-second of the benchmark"));
}

foreach (var r in results.DistinctBy(r => r.Server))
{
    Console.WriteLine($"{r.Server} server time per job (first throughput phase): {r.ScriptProfile}");
}

foreach (var r in results)
{
    Console.WriteLine(FormattableString.Invariant(
        $"{r.Server} JIT: {(r.Jit.WarmupRounds.Count == 0 ? "no warm-up before this run" : $"warm-up rounds compiled {string.Join(" / ", r.Jit.WarmupRounds)} methods")}; the measured throughput phase {r.Jit.MeasuredMethods} ({r.Jit.MeasuredMilliseconds:F0} ms of JIT time)"));
}

Console.WriteLine("(jobs per CPU-s: jobs over the CPU seconds the benchmark's processes used in the throughput phase, what it\n"
    + "costs whatever else the machine runs; \"vs\" columns: ≥ 1.00× meets the target; latency is submit → Assign received by the node, over "
    + FormattableString.Invariant($"{results.FirstOrDefault()?.LatencyJobs ?? 0} productions)"));
return results.All(r => r.Rejected == 0) ? 0 : 1;

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}
