using Microsoft.Extensions.Options;
using Prometheus;
using RenderFarm.Coordinator.Gateway;
using RenderFarm.State;
using StackExchange.Redis;

namespace RenderFarm.Coordinator.Diagnostics;

/// <summary>
/// Gauges computed when metrics are scraped: the queues (a <see cref="QueueCensus"/> of the farm's
/// Redis, at most one every <see cref="CensusMaxAge"/>, bounded by
/// <see cref="CoordinatorOptions.QueueMetricsPriorityLimit"/>) and the nodes whose streams this
/// coordinator holds. Every coordinator reports the same queues (aggregate them with max) and its
/// own nodes (aggregate with sum). Coordinators sharing a process (the embedded farm, tests) share
/// one registry: their nodes are added up, and each farm's queues (by key prefix) counted once.
/// </summary>
internal sealed partial class FarmGauges(
    QueueCensus census,
    NodeRegistry registry,
    IOptions<StateOptions> state,
    IOptions<CoordinatorOptions> options,
    TimeProvider time,
    ILogger<FarmGauges> logger) : IHostedService
{
    private static readonly TimeSpan CensusMaxAge = TimeSpan.FromSeconds(2);

    private static readonly Gauge QueueDepth = Metrics.CreateGauge("renderfarm_queue_depth",
        "Productions waiting to run now, by placement class id (\"0\": no placement), tenant and priority (high, normal, low; unknown past the census limit).",
        "class", "tenant", "priority");
    private static readonly Gauge DelayedRetries = Metrics.CreateGauge("renderfarm_queue_delayed_retries", "Queued retries waiting out their backoff.");
    private static readonly Gauge Productions = Metrics.CreateGauge("renderfarm_productions",
        "Productions by live state: queued (waiting now or in a retry backoff), running (leased to a node).", "state");
    private static readonly Gauge Nodes = Metrics.CreateGauge("renderfarm_coordinator_nodes",
        "Nodes whose streams this coordinator holds, by state (active, draining) and whether they have a GPU.", "state", "gpu");
    private static readonly Gauge NodeEncoders = Metrics.CreateGauge("renderfarm_coordinator_node_encoders",
        "Nodes held by this coordinator that have a working encoder, by encoder (libx264, h264_nvenc, …).", "encoder");
    private static readonly Gauge Slots = Metrics.CreateGauge("renderfarm_coordinator_node_slots",
        "Render slots of the nodes held by this coordinator, by state (busy, free, unavailable: draining or closing).", "state");

    private static readonly Lock Gate = new();
    private static readonly List<FarmGauges> Running = [];
    private static readonly SemaphoreSlim Collecting = new(1, 1);
    private static HashSet<(string, string, string)> s_queueSeries = [];
    private static HashSet<string> s_encoderSeries = [];
    private static bool s_registered;

    private readonly NodeRegistry _registry = registry;
    private readonly string _keyPrefix = state.Value.KeyPrefix;
    private QueueSnapshot? _snapshot;
    private DateTimeOffset _taken;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (Gate)
        {
            Running.Add(this);
            if (!s_registered)
            {
                Metrics.DefaultRegistry.AddBeforeCollectCallback(CollectAsync);
                s_registered = true;
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (Gate)
        {
            Running.Remove(this);
        }

        return Task.CompletedTask;
    }

    private static async Task CollectAsync(CancellationToken cancellationToken)
    {
        List<FarmGauges> running;
        lock (Gate)
        {
            running = [.. Running];
        }

        await Collecting.WaitAsync(cancellationToken);
        try
        {
            SetNodes(running.SelectMany(g => g._registry.Sessions).ToList());
            var snapshots = new List<QueueSnapshot>();
            foreach (var farm in running.GroupBy(g => g._keyPrefix, StringComparer.Ordinal))
            {
                if (await farm.First().SnapshotAsync() is { } snapshot)
                {
                    snapshots.Add(snapshot);
                }
            }

            if (running.Count == 0 || snapshots.Count > 0)
            {
                SetQueues(snapshots);
            }
        }
        finally
        {
            Collecting.Release();
        }
    }

    private async Task<QueueSnapshot?> SnapshotAsync()
    {
        var now = time.GetUtcNow();
        if (_snapshot is null || now - _taken >= CensusMaxAge)
        {
            try
            {
                _snapshot = await census.TakeAsync(options.Value.QueueMetricsPriorityLimit);
                _taken = now;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // The queue gauges keep their last values; the scrape itself still answers.
                CensusFailed(logger, e.Message);
                return null;
            }
        }

        return _snapshot;
    }

    private static void SetQueues(List<QueueSnapshot> snapshots)
    {
        var depths = new Dictionary<(string, string, string), long>();
        foreach (var (labels, count) in snapshots.SelectMany(s => s.Waiting))
        {
            depths[labels] = depths.GetValueOrDefault(labels) + count;
        }

        foreach (var ((cls, tenant, priority), count) in depths)
        {
            QueueDepth.WithLabels(cls, tenant, priority).Set(count);
        }

        foreach (var (cls, tenant, priority) in s_queueSeries.Where(s => !depths.ContainsKey(s)))
        {
            QueueDepth.RemoveLabelled(cls, tenant, priority);
        }

        s_queueSeries = [.. depths.Keys];
        var delayed = snapshots.Sum(s => s.Delayed);
        DelayedRetries.Set(delayed);
        Productions.WithLabels("queued").Set(depths.Values.Sum() + delayed);
        Productions.WithLabels("running").Set(snapshots.Sum(s => s.Running));
    }

    private static void SetNodes(List<NodeSession> sessions)
    {
        foreach (var draining in new[] { false, true })
        {
            foreach (var gpu in new[] { false, true })
            {
                Nodes.WithLabels(draining ? "draining" : "active", gpu ? "true" : "false")
                    .Set(sessions.Count(s => (s.Draining || s.DrainRequested) == draining && (s.Hello.Capabilities?.Gpus.Count > 0) == gpu));
            }
        }

        var encoders = sessions.SelectMany(s => (s.Hello.Capabilities?.Encoders ?? []).Distinct(StringComparer.Ordinal))
            .GroupBy(e => e, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var (encoder, count) in encoders)
        {
            NodeEncoders.WithLabels(encoder).Set(count);
        }

        foreach (var gone in s_encoderSeries.Where(e => !encoders.ContainsKey(e)))
        {
            NodeEncoders.RemoveLabelled(gone);
        }

        s_encoderSeries = [.. encoders.Keys];
        var busy = sessions.Sum(s => s.Active.Count);
        var free = sessions.Sum(s => s.FreeSlots);
        Slots.WithLabels("busy").Set(busy);
        Slots.WithLabels("free").Set(free);
        Slots.WithLabels("unavailable").Set(Math.Max(0, sessions.Sum(s => s.Hello.Slots) - busy - free));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue metrics skipped, farm state unavailable: {Error}")]
    private static partial void CensusFailed(ILogger logger, string error);
}
