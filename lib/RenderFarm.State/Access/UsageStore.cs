using System.Globalization;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using StackExchange.Redis;

namespace RenderFarm.State;

/// <summary>
/// Render-seconds accounting. Seconds are reserved when a production is created (checked against
/// the tenant's monthly quota and the key's monthly spend cap in one script, before anything is queued) and
/// refunded when it is cancelled or deleted before it succeeded.
/// </summary>
public sealed class UsageStore(IConnectionMultiplexer redis, IOptions<StateOptions> options, TimeProvider time)
{
    private static readonly TimeSpan PeriodTtl = TimeSpan.FromDays(62);
    private readonly string _prefix = options.Value.KeyPrefix;
    private IDatabase Db => redis.GetDatabase();

    /// <summary>The accounting month (UTC) containing now.</summary>
    public DateTimeOffset PeriodStart => UsagePeriod.Start(time.GetUtcNow());

    private string Period => UsagePeriod.Of(time.GetUtcNow());

    /// <summary>Reserves <paramref name="seconds"/> for <paramref name="tenant"/> and key <paramref name="keyId"/> ("" when the key has no record).</summary>
    public async Task<Reservation> ReserveAsync(string tenant, string keyId, double seconds, double monthlyLimit)
    {
        var period = Period;
        var r = (RedisResult[])(await Db.RunAsync("usage_reserve", _prefix, time, tenant, period, Invariant(seconds),
            Invariant(monthlyLimit), keyId, (long)PeriodTtl.TotalSeconds))!;
        var outcome = (string)r[0]!;
        double At(int i) => double.Parse((string)r[i]!, CultureInfo.InvariantCulture);
        return outcome switch
        {
            "OK" => new Reservation(tenant, keyId, period, seconds, null, 0, 0),
            ErrorReasons.QuotaExceeded => new Reservation(tenant, keyId, period, seconds, outcome, At(1), monthlyLimit),
            _ => new Reservation(tenant, keyId, period, seconds, outcome, At(1), At(2)),
        };
    }

    /// <summary>Ties a granted reservation to the production it paid for, so a cancel or delete can refund it.</summary>
    public async Task AttachAsync(Reservation reservation, string productionId)
    {
        var key = $"{_prefix}charge:{productionId}";
        await Db.HashSetAsync(key, [
            new("tenant", reservation.Tenant), new("period", reservation.Period),
            new("seconds", Invariant(reservation.Seconds)), new("key", reservation.KeyId)]);
        await Db.KeyExpireAsync(key, PeriodTtl);
    }

    /// <summary>Gives back a reservation that queued nothing (a repeat, a conflict, a refusal).</summary>
    public Task RefundAsync(Reservation reservation) =>
        Db.RunAsync("usage_refund", _prefix, time, "", reservation.Tenant, reservation.Period, Invariant(reservation.Seconds), reservation.KeyId);

    /// <summary>Refunds what production <paramref name="productionId"/> was charged, once.</summary>
    public Task RefundProductionAsync(string productionId) =>
        Db.RunAsync("usage_refund", _prefix, time, productionId, "", "", "0", "");

    /// <summary>Seconds reserved by <paramref name="tenant"/> this month.</summary>
    public async Task<double> RenderedSecondsAsync(string tenant) =>
        (double?)await Db.HashGetAsync($"{_prefix}usage:{tenant}:{Period}", "seconds") ?? 0;

    /// <summary>
    /// The tenant's queued and running productions and its stored bytes: outputs still kept (not
    /// past retention) plus the declared sizes of its assets.
    /// </summary>
    public async Task<TenantFootprint> FootprintAsync(string tenant)
    {
        var ids = await Db.SortedSetRangeByRankAsync($"{_prefix}tenant:{tenant}:prods");
        var batch = Db.CreateBatch();
        var reads = ids.Select(id => batch.HashGetAsync($"{_prefix}prod:{id}", ["state", "result", "result_expired"])).ToList();
        var assets = batch.StringGetAsync($"{_prefix}tenant:{tenant}:stored_bytes");
        batch.Execute();
        int queued = 0, running = 0;
        var bytes = (long?)await assets ?? 0;
        foreach (var read in reads)
        {
            var f = await read;
            switch ((string?)f[0])
            {
                case "QUEUED": queued++; break;
                case "RUNNING": running++; break;
                case "SUCCEEDED" when !f[1].IsNull && f[2].IsNull:
                    var output = RenderOutput.Parser.ParseFrom((byte[])f[1]!);
                    bytes += output.SizeBytes + output.Renditions.Sum(r => r.SizeBytes);
                    break;
            }
        }

        return new TenantFootprint(queued, running, bytes);
    }

    private static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>A reservation of render seconds; <see cref="Refusal"/> is null when granted.</summary>
/// <param name="Used">When refused: seconds used (quota) or spent (spend cap) before this request.</param>
/// <param name="Limit">When refused: the limit in question.</param>
public sealed record Reservation(string Tenant, string KeyId, string Period, double Seconds, string? Refusal, double Used, double Limit);

/// <summary>What a tenant holds now.</summary>
public sealed record TenantFootprint(int Queued, int Running, long StoredBytes);
