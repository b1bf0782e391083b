using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RenderFarm.State;

/// <summary>
/// Counts waiting and running work for metrics, read-only and outside any script, so it never
/// holds up the scheduler. Queues are found from the scheduler's own indexes (active classes,
/// their ready tenants, capped tenants and the classes each has work in), never by scanning keys.
/// Depths are exact; the priority of each waiting production is read from its record, for at most
/// a given number of productions per census, past which whole queues count as priority "unknown".
/// </summary>
public sealed class QueueCensus(IConnectionMultiplexer redis, IOptions<StateOptions> options)
{
    private readonly string _p = options.Value.KeyPrefix;

    /// <summary>Takes a census, reading the priority of at most <paramref name="priorityLimit"/> waiting productions.</summary>
    public async Task<QueueSnapshot> TakeAsync(int priorityLimit)
    {
        var db = redis.GetDatabase();
        var active = await db.SetMembersAsync(_p + "active");
        var readyTasks = active.Select(c => db.SortedSetRangeByRankAsync($"{_p}ready:{c}")).ToList();
        var capped = await db.SetMembersAsync(_p + "capped");
        var tenants = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var ready in await Task.WhenAll(readyTasks))
        {
            tenants.UnionWith(ready.Select(t => (string)t!));
        }

        tenants.UnionWith(capped.Select(t => (string)t!));
        var classTasks = tenants.Select(t => (Tenant: t, Classes: db.SetMembersAsync($"{_p}tclasses:{t}"))).ToList();
        var queues = new List<(string Class, string Tenant)>();
        foreach (var (tenant, classes) in classTasks)
        {
            queues.AddRange((await classes).Select(c => ((string)c!, tenant)));
        }

        var depths = await Task.WhenAll(queues.Select(q => db.SortedSetLengthAsync(Queue(q.Class, q.Tenant))));
        var counts = new Dictionary<(string Class, string Tenant, string Priority), long>();
        void Add(string cls, string tenant, string priority, long n) =>
            counts[(cls, tenant, priority)] = counts.GetValueOrDefault((cls, tenant, priority)) + n;
        var budget = (long)priorityLimit;
        for (var i = 0; i < queues.Count; i++)
        {
            var (cls, tenant) = queues[i];
            if (depths[i] == 0)
            {
                continue;
            }

            if (depths[i] > budget)
            {
                Add(cls, tenant, "unknown", depths[i]);
                continue;
            }

            budget -= depths[i];
            var ids = await db.SortedSetRangeByRankAsync(Queue(cls, tenant));
            var ranks = await Task.WhenAll(ids.Select(id => db.HashGetAsync($"{_p}prod:{id}", "rank")));
            foreach (var rank in ranks)
            {
                Add(cls, tenant, PriorityName(rank), 1);
            }
        }

        var delayed = db.SortedSetLengthAsync(_p + "delayed");
        var running = db.SortedSetLengthAsync(_p + "leases");
        return new QueueSnapshot(counts, await delayed, await running);
    }

    private string Queue(string cls, string tenant) => $"{_p}q:{cls}:{tenant}";

    // The inverse of ProductionStore.Rank; a record gone since it was queued reads as "unknown".
    private static string PriorityName(RedisValue rank) => (string?)rank switch
    {
        "0" => "high",
        "1" => "normal",
        "2" => "low",
        _ => "unknown",
    };
}

/// <summary>A census of the queues.</summary>
/// <param name="Waiting">Productions eligible to run now, by placement class id ("0": no placement), tenant and priority.</param>
/// <param name="Delayed">Queued retries waiting out their backoff.</param>
/// <param name="Running">Productions leased to nodes.</param>
public sealed record QueueSnapshot(IReadOnlyDictionary<(string Class, string Tenant, string Priority), long> Waiting, long Delayed, long Running);
