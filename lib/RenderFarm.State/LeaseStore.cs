using Google.Protobuf;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts.V1;
using StackExchange.Redis;

namespace RenderFarm.State;

/// <summary>
/// The scheduler's side of production state: dispatch into leases, renewal, progress, completion
/// with fencing, and the reaping of expired leases. Each call is one atomic script.
/// </summary>
public sealed class LeaseStore(IConnectionMultiplexer redis, IOptions<StateOptions> options, TimeProvider time)
{
    private readonly Keys _keys = new(options.Value.KeyPrefix);
    private IDatabase Db => redis.GetDatabase();

    /// <summary>Pops the next queued production into a lease held by <paramref name="nodeId"/>, or null when none waits.</summary>
    public async Task<Lease?> DispatchAsync(string nodeId, TimeSpan ttl)
    {
        var result = await Db.RunAsync("dispatch", _keys.Prefix, time, nodeId, (long)ttl.TotalMilliseconds, 64);
        if (result.IsNull)
        {
            return null;
        }

        var parts = (RedisResult[])result!;
        return new Lease((string)parts[0]!, (long)parts[1], (int)parts[2], CreateProductionRequest.Parser.ParseFrom((byte[])parts[3]!));
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

    /// <summary>Requeues, or fails past their attempt budget, productions whose lease expired; returns their ids.</summary>
    public async Task<IReadOnlyList<string>> ReapAsync(int limit)
    {
        var reaped = (RedisResult[])(await Db.RunAsync("reap", _keys.Prefix, time, limit))!;
        return [.. reaped.Select(r => (string)r!)];
    }

    private async Task<Completion> CompleteAsync(string id, long token, string outcome, byte[] result, string code, string message, double renderedSeconds, TimeSpan processing)
    {
        var parts = (RedisResult[])(await Db.RunAsync("complete", _keys.Prefix, time,
            id, token, outcome, result, code, message, renderedSeconds, (long)processing.TotalMilliseconds))!;
        return (int)parts[0] == 1
            ? new Completion(true, Enum.Parse<Production.Types.State>((string)parts[1]!, ignoreCase: true), "")
            : new Completion(false, Production.Types.State.Unspecified, (string)parts[1]!);
    }
}

/// <summary>A production leased to a node under a fencing token.</summary>
public sealed record Lease(string ProductionId, long Token, int Attempt, CreateProductionRequest Spec);

/// <summary>Whether a result was recorded, the state it led to, or why it was rejected (STALE_LEASE, NOT_RUNNING, NOT_FOUND).</summary>
public sealed record Completion(bool Accepted, Production.Types.State State, string RejectReason);
