using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts.V1;
using RenderFarm.Coordinator;
using RenderFarm.Embedded;
using RenderFarm.State;
using StackExchange.Redis;

namespace RenderFarm.Bench;

/// <summary>Settings of one benchmark run.</summary>
internal sealed record BenchSettings(int Productions, int Nodes, int Slots, int Rate, int LatencySeconds, int Warmup, int WarmupRounds)
{
    /// <summary>Measured runs after the one warm-up; the medians are reported.</summary>
    public int Runs { get; init; } = 3;

    /// <summary>Tenants the productions are spread over (round robin), each with its own queue in the class.</summary>
    public int Tenants { get; init; } = 1;

    /// <summary>redis-server's pid, so its CPU time counts as the benchmark's.</summary>
    public int? ServerPid { get; init; }
}

/// <summary>What one measured run on one server measured.</summary>
internal sealed record BenchResult(
    string Server, int Jobs, double DispatchSeconds, double CompleteSeconds, int Rejected,
    int LatencyJobs, double P50, double P99, double Max, double PingMicros, string ScriptProfile, JitActivity Jit, MachineShare Machine);

/// <summary>Methods the JIT compiled in each warm-up round, and during the measured throughput phase.</summary>
internal sealed record JitActivity(IReadOnlyList<long> WarmupRounds, long MeasuredMethods, double MeasuredMilliseconds);

/// <summary>
/// One server's run: a coordinator hosted in-process on the server, simulated nodes on real gRPC
/// streams; throughput with every production queued up front, then latency with submissions at a
/// fixed offered rate (open loop: each is timed from its own send, not from the previous answer).
/// </summary>
internal static class SchedulerBench
{
    // Two warm-up rounds in a row that compile fewer methods than this leave the JIT settled (one
    // such round was seen followed by a measured phase with seconds of tier-1 compiles).
    private const int SettledJitMethods = 100;

    private static readonly CreateProductionRequest Spec = new()
    {
        Canvas = new Canvas { Width = 320, Height = 240, Fps = 25, Segments = { new Segment { Color = new ColorClip { Color = "#112233" }, Duration = 1 } } },
        Output = new OutputSpec { Format = OutputSpec.Types.Format.Mp4, VideoCodec = OutputSpec.Types.VideoCodec.H264 },
    };

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(string server, string redisConfiguration, BenchSettings settings)
    {
        var prefix = $"bench{Guid.NewGuid():N}:";
        var token = "bench-node-token-0123456789";
        var port = EmbeddedRedis.FreePort();
        var storage = Directory.CreateTempSubdirectory("rf-bench-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RenderFarm:Redis:Configuration"] = redisConfiguration,
            ["RenderFarm:Redis:KeyPrefix"] = prefix,
            ["RenderFarm:Coordinator:Id"] = "bench",
            ["RenderFarm:Coordinator:BindAddress"] = "127.0.0.1",
            ["RenderFarm:Coordinator:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["RenderFarm:Coordinator:MetricsPort"] = "0",
            ["RenderFarm:Coordinator:NodeToken"] = token,
            ["RenderFarm:Webhooks:SigningSecret"] = "bench-webhook-secret-0123456789abcdef",
            // Simulated nodes never heartbeat; nothing may lapse during the run.
            ["RenderFarm:Coordinator:LeaseTtl"] = "00:10:00",
            ["RenderFarm:Coordinator:HeartbeatInterval"] = "00:05:00",
            ["RenderFarm:Tenants:Defaults:MaxRunning"] = "0",
            ["RenderFarm:Tenants:Defaults:MaxQueued"] = "10000000",
            ["RenderFarm:Storage:Root"] = storage,
            ["RenderFarm:Storage:PublicBaseUrl"] = "http://127.0.0.1:9",
            ["RenderFarm:Storage:SigningKey"] = "bench-signing-key-0123456789abcdef0123",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddCoordinator();
        await using var coordinator = builder.Build();
        coordinator.MapCoordinator();
        await coordinator.StartAsync();

        using var redis = await ConnectionMultiplexer.ConnectAsync(redisConfiguration);
        var store = new ProductionStore(redis, Options.Create(new StateOptions { Configuration = redisConfiguration, KeyPrefix = prefix }), TimeProvider.System);
        var recorder = new BenchRecorder();
        var url = $"http://127.0.0.1:{port}";
        // Warm-up, not measured: the same path end to end, in rounds until the JIT has settled
        // (tier-0, instrumented and tier-1 compiles of the hot path take several rounds on 2
        // cores), as in a coordinator that has been up a while.
        var warmup = new List<long>();
        while (settings.Warmup > 0 && warmup.Count < settings.WarmupRounds)
        {
            var compiled = JitInfo.GetCompiledMethodCount();
            recorder.Reset(settings.Warmup);
            var warm = await Task.WhenAll(Enumerable.Range(1, settings.Nodes)
                .Select(i => SimulatedNode.ConnectAsync(url, token, $"warm-{i:D2}", settings.Slots, recorder)));
            await SubmitAllAsync(store, settings.Warmup, settings.Tenants, concurrency: 256);
            await recorder.Done.WaitAsync(TimeSpan.FromMinutes(10));
            foreach (var node in warm)
            {
                await node.DisposeAsync();
            }

            warmup.Add(JitInfo.GetCompiledMethodCount() - compiled);
            if (warmup.Count >= 2 && warmup[^1] < SettledJitMethods && warmup[^2] < SettledJitMethods)
            {
                break;
            }
        }

        var results = new List<BenchResult>();
        for (var run = 0; run < settings.Runs; run++)
        {
            results.Add(await MeasureAsync(server, redis, store, recorder, url, token, settings, run == 0 ? warmup : []));
        }

        await coordinator.StopAsync();
        Directory.Delete(storage, recursive: true);
        return results;
    }

    private static async Task<BenchResult> MeasureAsync(string server, ConnectionMultiplexer redis, ProductionStore store, BenchRecorder recorder,
        string url, string token, BenchSettings settings, IReadOnlyList<long> warmup)
    {
        var statsBefore = await CommandStatsAsync(redis);

        // Throughput: everything queued first, then the nodes connect and drain the queue.
        recorder.Reset(settings.Productions);
        await SubmitAllAsync(store, settings.Productions, settings.Tenants, concurrency: 256);
        var jitMethods = JitInfo.GetCompiledMethodCount();
        var jitTime = JitInfo.GetCompilationTime();
        var machine = MachineSample.Take(settings.ServerPid);
        var start = Stopwatch.GetTimestamp();
        var nodes = await Task.WhenAll(Enumerable.Range(1, settings.Nodes)
            .Select(i => SimulatedNode.ConnectAsync(url, token, $"sim-{i:D2}", settings.Slots, recorder)));
        await recorder.Done.WaitAsync(TimeSpan.FromMinutes(10));
        var completed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var share = MachineShare.Between(machine, MachineSample.Take(settings.ServerPid));
        var dispatched = Stopwatch.GetElapsedTime(start, recorder.LastAssigned).TotalSeconds;
        var rejected = recorder.Rejected;
        var jit = new JitActivity(warmup, JitInfo.GetCompiledMethodCount() - jitMethods, (JitInfo.GetCompilationTime() - jitTime).TotalMilliseconds);
        var profile = Profile(statsBefore, await CommandStatsAsync(redis), settings.Productions);

        // Latency: open-loop submissions at the offered rate.
        var latencyJobs = settings.Rate * settings.LatencySeconds;
        recorder.Reset(latencyJobs);
        await SubmitAtRateAsync(store, recorder, settings.Rate, latencyJobs, settings.Tenants);
        await recorder.Done.WaitAsync(TimeSpan.FromMinutes(5));
        var latencies = recorder.Latencies();
        var ping = await PingMicrosAsync(redis);

        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }

        return new BenchResult(server, settings.Productions, dispatched, completed, rejected,
            latencies.Length, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.LastOrDefault(), ping, profile, jit, share);
    }

    private static string Tenant(int i, int tenants) => tenants <= 1 ? "bench" : $"bench{i % tenants}";

    private static async Task SubmitAllAsync(ProductionStore store, int count, int tenants, int concurrency)
    {
        using var gate = new SemaphoreSlim(concurrency);
        var tasks = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            await gate.WaitAsync();
            var tenant = Tenant(i, tenants);
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    await store.CreateAsync(tenant, Spec, 3, TimeSpan.FromHours(1));
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        await Task.WhenAll(tasks);
    }

    private static async Task SubmitAtRateAsync(ProductionStore store, BenchRecorder recorder, int rate, int count, int tenants)
    {
        var start = Stopwatch.GetTimestamp();
        var tasks = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            var wait = due - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.FromMilliseconds(2))
            {
                await Task.Delay(wait);
            }

            var tenant = Tenant(i, tenants);
            tasks.Add(Task.Run(async () =>
            {
                var sent = Stopwatch.GetTimestamp();
                var created = await store.CreateAsync(tenant, Spec, 3, TimeSpan.FromHours(1));
                recorder.Submitted(created.Production!.Production.Id, sent);
            }));
        }

        await Task.WhenAll(tasks);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static async Task<double> PingMicrosAsync(ConnectionMultiplexer redis)
    {
        var db = redis.GetDatabase();
        await db.PingAsync();
        var start = Stopwatch.GetTimestamp();
        const int n = 500;
        for (var i = 0; i < n; i++)
        {
            await db.PingAsync();
        }

        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / n;
    }

    // Server-side cost of the scripts (redis-server's INFO commandstats; Garnet may not keep them).
    private static async Task<Dictionary<string, (long Calls, double Usec)>> CommandStatsAsync(ConnectionMultiplexer redis)
    {
        var stats = new Dictionary<string, (long, double)>();
        try
        {
            var info = (string?)await redis.GetDatabase().ExecuteAsync("INFO", "commandstats") ?? "";
            foreach (var line in info.Split('\n'))
            {
                // cmdstat_evalsha:calls=123,usec=4567,usec_per_call=37.1,…
                if (!line.StartsWith("cmdstat_", StringComparison.Ordinal))
                {
                    continue;
                }

                var name = line[8..line.IndexOf(':', StringComparison.Ordinal)];
                var fields = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Split(',')
                    .Select(f => f.Split('=')).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1].Trim());
                if (fields.TryGetValue("calls", out var calls) && fields.TryGetValue("usec", out var usec))
                {
                    stats[name] = (long.Parse(calls, CultureInfo.InvariantCulture), double.Parse(usec, CultureInfo.InvariantCulture));
                }
            }
        }
        catch (RedisException)
        {
        }

        return stats;
    }

    private static string Profile(Dictionary<string, (long Calls, double Usec)> before, Dictionary<string, (long Calls, double Usec)> after, int jobs)
    {
        var delta = after.Select(a => (a.Key, Calls: a.Value.Calls - before.GetValueOrDefault(a.Key).Calls, Usec: a.Value.Usec - before.GetValueOrDefault(a.Key).Usec))
            .Where(d => d.Calls > 0 && d.Key is not "info")
            .OrderByDescending(d => d.Usec)
            .ToList();
        return delta.Count == 0
            ? "no command statistics from this server"
            : string.Join("; ", delta.Select(d => FormattableString.Invariant($"{d.Key} {(double)d.Calls / jobs:F2}/job {d.Usec / d.Calls:F1}µs/call")));
    }
}
