using Google.Protobuf;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts.V1;
using StackExchange.Redis;

namespace RenderFarm.State;

/// <summary>
/// The scheduler's side of production state: dispatch into leases, renewal, progress, completion
/// with fencing, and the reaping of expired leases. Each call is one atomic script.
/// </summary>
public sealed class LeaseStore(
    IConnectionMultiplexer redis,
    IOptions<StateOptions> options,
    TimeProvider time,
    IOptions<SchedulerOptions>? scheduler = null,
    IOptions<TenantOptions>? tenants = null)
{
    private readonly Keys _keys = new(options.Value.KeyPrefix);
    private readonly SchedulerOptions _scheduler = scheduler?.Value ?? new SchedulerOptions();
    private readonly TenantOptions _tenants = tenants?.Value ?? new TenantOptions();
    private string? _caps;
    private IDatabase Db => redis.GetDatabase();

    /// <summary>Pops the next queued production into a lease held by <paramref name="nodeId"/>, or null when none waits.</summary>
    public async Task<Lease?> DispatchAsync(string nodeId, TimeSpan ttl) =>
        (await DispatchAsync([(NodeProfile.Plain(nodeId), 1)], ttl)).FirstOrDefault();

    /// <summary>
    /// Leases queued productions to <paramref name="nodes"/> (each with its free slots), at most
    /// <see cref="SchedulerOptions.DispatchBatch"/> in one atomic script: fair between tenants,
    /// within tenant caps, by aged priority, matching placements. Empty when nothing fits.
    /// </summary>
    public async Task<IReadOnlyList<Lease>> DispatchAsync(IReadOnlyCollection<(NodeProfile Node, int FreeSlots)> nodes, TimeSpan ttl)
    {
        var args = new RedisValue[6 + (3 * nodes.Count)];
        args[0] = (long)ttl.TotalMilliseconds;
        args[1] = Math.Min(_scheduler.DispatchBatch, nodes.Sum(n => n.FreeSlots));
        args[2] = _scheduler.Lookahead;
        args[3] = _tenants.Defaults.MaxRunning ?? 0;
        args[4] = _caps ??= RunningCaps(_tenants);
        // A node counts as live while it heartbeats or asks for work within a lease lifetime.
        args[5] = (long)ttl.TotalMilliseconds;
        var i = 6;
        foreach (var (node, free) in nodes)
        {
            args[i++] = node.NodeId;
            args[i++] = free;
            args[i++] = node.Capabilities;
        }

        var result = (RedisResult[])(await Db.RunAsync("dispatch", _keys.Prefix, time, args))!;
        var leases = new List<Lease>(result.Length);
        foreach (var entry in result)
        {
            var parts = (RedisResult[])entry!;
            leases.Add(new Lease((string)parts[0]!, (long)parts[1], (int)parts[2],
                CreateProductionRequest.Parser.ParseFrom((byte[])parts[3]!), (string)parts[4]!)
            {
                Job = JobKinds.Read((RedisValue)parts[5]),
            });
        }

        return leases;
    }


    /// <summary>Renews the node's leases; returns those that are no longer the node's.</summary>
    public async Task<IReadOnlyList<LeaseRef>> HeartbeatAsync(string nodeId, TimeSpan ttl, IEnumerable<LeaseRef> leases)
    {
        var args = new List<RedisValue> { nodeId, (long)ttl.TotalMilliseconds };
        foreach (var lease in leases)
        {
            args.Add(lease.ProductionId);
            args.Add(lease.LeaseToken);
        }

        var stale = (RedisResult[])(await Db.RunAsync("heartbeat", _keys.Prefix, time, [.. args]))!;
        var refs = new List<LeaseRef>(stale.Length / 2);
        for (var i = 0; i < stale.Length; i += 2)
        {
            refs.Add(new LeaseRef { ProductionId = (string)stale[i]!, LeaseToken = long.Parse((string)stale[i + 1]!, System.Globalization.CultureInfo.InvariantCulture) });
        }

        return refs;
    }

    /// <summary>Records progress when the lease still holds (and renews it); false when it does not.</summary>
    public async Task<bool> ProgressAsync(string id, long token, double progress, string stage, TimeSpan ttl) =>
        (int)await Db.RunAsync("progress", _keys.Prefix, time, id, token, Math.Clamp(progress, 0, 1), stage, (long)ttl.TotalMilliseconds) == 1;

    /// <summary>Records a success when the lease still holds.</summary>
    public Task<Completion> SucceedAsync(string id, long token, RenderOutput output, double renderedSeconds, TimeSpan processing) =>
        CompleteAsync(id, token, "succeeded", output.ToByteArray(), "", "", renderedSeconds, processing);

    /// <summary>Records a failure when the lease still holds; a retryable one is requeued while attempts remain.</summary>
    public Task<Completion> FailAsync(string id, long token, string code, string message, bool retryable) =>
        CompleteAsync(id, token, retryable ? "retry" : "failed", [], code, message, 0, TimeSpan.Zero);

    /// <summary>Requeues work the node declined without starting it; the attempt does not count.</summary>
    public Task<Completion> DeclineAsync(string id, long token, string code) =>
        CompleteAsync(id, token, "declined", [], code, "", 0, TimeSpan.Zero);

    /// <summary>
    /// Requeues after a backoff, or fails (poison, attempts spent), productions whose lease expired;
    /// returns their ids. Also makes retries whose backoff ended eligible.
    /// </summary>
    public async Task<IReadOnlyList<Reaped>> ReapAsync(int limit)
    {
        var reaped = (RedisResult[])(await Db.RunAsync("reap", _keys.Prefix, time, limit, RetryPolicy()))!;
        return [.. reaped.Select(r => (RedisResult[])r!).Select(r => new Reaped((string)r[0]!, StateOf(r[1]), (string)r[2]!) { Part = PartOutcome.Read(r, 3) })];
    }

    /// <summary>
    /// The object keys of a chunked production's pieces, in order: each chunk's video, then the
    /// sound. Empty when a part has no output (it was withdrawn meanwhile).
    /// </summary>
    public async Task<IReadOnlyList<string>> PiecesAsync(string parent)
    {
        var parts = (string?)await Db.HashGetAsync(_keys.Production(parent), "parts");
        var ids = parts is null ? [] : System.Text.Json.JsonSerializer.Deserialize(parts, CapsJson.Default.StringArray) ?? [];
        var keys = new List<string>(ids.Length);
        foreach (var id in ids)
        {
            var result = await Db.HashGetAsync(_keys.Production(id), "result");
            if (result.IsNullOrEmpty)
            {
                return [];
            }

            keys.Add(RenderOutput.Parser.ParseFrom((byte[])result!).ObjectKey);
        }

        return keys;
    }

    /// <summary>
    /// What the render of a chunked production's sound part reported; null when the part (or its
    /// result) is gone.
    /// </summary>
    public async Task<RenderOutput?> SoundOutputAsync(string parent)
    {
        var result = await Db.HashGetAsync(_keys.Production(ChunkJobs.PartId(parent, ChunkJobs.SoundName)), "result");
        return result.IsNullOrEmpty ? null : RenderOutput.Parser.ParseFrom((byte[])result!);
    }

    /// <summary>
    /// Splits a leased production into <paramref name="parts"/> (each queued as a job of its own
    /// under the tenant's parts account), when its lease still holds; the production keeps its
    /// running slot until it ends. <paramref name="join"/> is queued once every part succeeded.
    /// </summary>
    public async Task<bool> FanOutAsync(Lease lease, string stage, JobSpec join, IReadOnlyList<(string Id, JobSpec Job, long Frames)> parts)
    {
        var args = new List<RedisValue>
        {
            // The parts' account is the production's tenant's with this suffix.
            lease.ProductionId, lease.Token, JobKinds.Account("", JobSpec.Types.Kind.Chunk), stage, join.ToByteArray(),
        };
        foreach (var (id, job, frames) in parts)
        {
            args.AddRange([id, JobKinds.Name(job.Kind), job.ToByteArray(), frames]);
        }

        return (int)await Db.RunAsync("fanout", _keys.Prefix, time, [.. args]) == 1;
    }

    private async Task<Completion> CompleteAsync(string id, long token, string outcome, byte[] result, string code, string message, double renderedSeconds, TimeSpan processing)
    {
        var parts = (RedisResult[])(await Db.RunAsync("complete", _keys.Prefix, time,
            id, token, outcome, result, code, message, renderedSeconds, (long)processing.TotalMilliseconds, RetryPolicy()))!;
        return (int)parts[0] == 1
            ? new Completion(true, StateOf(parts[1]), "") { ErrorCode = (string)parts[2]!, Part = PartOutcome.Read(parts, 3) }
            : new Completion(false, Production.Types.State.Unspecified, (string)parts[1]!);
    }

    private static Production.Types.State StateOf(RedisResult state) => Enum.Parse<Production.Types.State>((string)state!, ignoreCase: true);

    // The backoff, jitter draw and poison threshold retry_or_fail applies (the draw is made here:
    // a script's own math.random is not random on every server).
    private string RetryPolicy() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{{\"base\":{(long)_scheduler.RetryBackoffBase.TotalMilliseconds},\"max\":{(long)_scheduler.RetryBackoffMax.TotalMilliseconds},\"jitter\":{_scheduler.RetryBackoffJitter},\"r\":{Random.Shared.NextDouble()},\"poison\":{_scheduler.PoisonNodeCount}}}");

    private static string RunningCaps(TenantOptions tenants)
    {
        var caps = tenants.Overrides.Where(o => o.Value.MaxRunning is not null).ToDictionary(o => o.Key, o => o.Value.MaxRunning!.Value);
        return caps.Count == 0 ? "{}" : System.Text.Json.JsonSerializer.Serialize(caps, CapsJson.Default.DictionaryStringInt32);
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, int>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class CapsJson : System.Text.Json.Serialization.JsonSerializerContext;

/// <summary>A production leased to a node under a fencing token.</summary>
public sealed record Lease(string ProductionId, long Token, int Attempt, CreateProductionRequest Spec, string NodeId = "")
{
    /// <summary>What kind of job was leased, with the kind's payload.</summary>
    public JobSpec Job { get; init; } = JobKinds.Render();
}

/// <summary>Whether a result was recorded, the state it led to, or why it was rejected (STALE_LEASE, NOT_RUNNING, NOT_FOUND).</summary>
public sealed record Completion(bool Accepted, Production.Types.State State, string RejectReason)
{
    /// <summary>The production's error code after an accepted failure (e.g. POISON_JOB); empty otherwise.</summary>
    public string ErrorCode { get; init; } = "";

    /// <summary>What the result did to the chunked production it is a part of; none for a job that is no part.</summary>
    public PartOutcome Part { get; init; } = PartOutcome.None;
}

/// <summary>A production whose lease expired: requeued (QUEUED) or failed, with its error code (LEASE_EXPIRED, POISON_JOB).</summary>
public sealed record Reaped(string ProductionId, Production.Types.State State, string ErrorCode)
{
    /// <summary>What the expiry did to the chunked production it is a part of; none for a job that is no part.</summary>
    public PartOutcome Part { get; init; } = PartOutcome.None;
}

/// <summary>
/// What a part's result or expiry did to its chunked production: <see cref="Ended"/> when the
/// production succeeded or failed with it (its pieces are then to be deleted).
/// </summary>
public sealed record PartOutcome(string Parent, string Settled)
{
    /// <summary>No part, or nothing changed.</summary>
    public static readonly PartOutcome None = new("", "");

    /// <summary>The production ended (succeeded or failed) now.</summary>
    public bool Ended => Settled is "succeeded" or "failed";

    internal static PartOutcome Read(RedisResult[] parts, int at) =>
        parts.Length > at + 1 && (string?)parts[at] is { Length: > 0 } parent ? new(parent, (string)parts[at + 1]!) : None;
}
