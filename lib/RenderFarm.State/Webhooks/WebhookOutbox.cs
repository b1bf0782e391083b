using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RenderFarm.State;

/// <summary>
/// The durable webhook outbox: a sorted set of deliveries by due time. The scripts that end a
/// production add to it in the same step (prelude <c>finished</c>); senders claim due deliveries
/// with a visibility timeout and settle them, so every delivery is attempted at least once, also
/// across coordinator restarts, and by one sender at a time while it is alive.
/// </summary>
public sealed class WebhookOutbox(IConnectionMultiplexer redis, IOptions<StateOptions> options, TimeProvider time)
{
    private readonly Keys _keys = new(options.Value.KeyPrefix);
    private IDatabase Db => redis.GetDatabase();

    /// <summary>Claims up to <paramref name="max"/> due deliveries, hiding them for <paramref name="visibility"/>.</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> ClaimAsync(int max, TimeSpan visibility)
    {
        var claimed = (RedisResult[])(await Db.RunAsync("webhook_claim", _keys.Prefix, time, max, (long)visibility.TotalMilliseconds))!;
        return [.. claimed.Select(r => WebhookDelivery.Parse((string)r!))];
    }

    /// <summary>Ends a delivery (delivered or given up); false when another sender settled it first.</summary>
    public async Task<bool> CompleteAsync(WebhookDelivery delivery) =>
        (int)await Db.RunAsync("webhook_settle", _keys.Prefix, time, delivery.Member, "", 0) == 1;

    /// <summary>Schedules the next attempt of a delivery at <paramref name="due"/>; false when another sender settled it first.</summary>
    public async Task<bool> RetryAsync(WebhookDelivery delivery, DateTimeOffset due)
    {
        var next = delivery with { Attempt = delivery.Attempt + 1 };
        return (int)await Db.RunAsync("webhook_settle", _keys.Prefix, time, delivery.Member, next.Encode(), due.ToUnixTimeMilliseconds()) == 1;
    }

    /// <summary>Deliveries waiting, due or not (tests, diagnostics).</summary>
    public async Task<long> CountAsync() => await Db.SortedSetLengthAsync(_keys.Webhooks);
}

/// <summary>One webhook delivery: the event (production, type, sequence, time) and its attempt number.</summary>
/// <param name="ProductionId">The production the event is about.</param>
/// <param name="Type">e.g. <c>production.succeeded</c>.</param>
/// <param name="Sequence">The production's event sequence of the change; with the id it names the event.</param>
/// <param name="TimeMs">When the event happened, Unix ms.</param>
/// <param name="Attempt">1-based attempt number.</param>
/// <param name="Member">The outbox entry as stored.</param>
public sealed record WebhookDelivery(string ProductionId, string Type, long Sequence, long TimeMs, int Attempt, string Member = "")
{
    /// <summary>Stable event id, the same on every attempt: receivers deduplicate on it.</summary>
    public string EventId => $"{ProductionId}-{Sequence}";

    internal static WebhookDelivery Parse(string member)
    {
        using var doc = JsonDocument.Parse(member);
        var r = doc.RootElement;
        return new WebhookDelivery(r.GetProperty("id").GetString()!, r.GetProperty("type").GetString()!,
            r.GetProperty("seq").GetInt64(), r.GetProperty("time").GetInt64(), r.GetProperty("attempt").GetInt32(), member);
    }

    internal string Encode() => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["id"] = ProductionId,
        ["type"] = Type,
        ["seq"] = Sequence,
        ["time"] = TimeMs,
        ["attempt"] = Attempt,
    });
}
