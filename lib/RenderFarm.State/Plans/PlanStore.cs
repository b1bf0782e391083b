using Google.Protobuf;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts.V1;
using StackExchange.Redis;

namespace RenderFarm.State;

/// <summary>Plans per tenant, kept until their expiry plus a grace period in which reads can say "expired".</summary>
public sealed class PlanStore(IConnectionMultiplexer redis, IOptions<StateOptions> options)
{
    private readonly string _prefix = options.Value.KeyPrefix;
    private IDatabase Db => redis.GetDatabase();

    /// <summary>Stores a plan; the record disappears <paramref name="grace"/> after the plan's expire time.</summary>
    public Task SaveAsync(string tenant, Plan plan, string previewProductionId, TimeProvider time, TimeSpan grace)
    {
        var expire = plan.ExpireTime.ToDateTimeOffset();
        var keep = expire - time.GetUtcNow() + grace;
        return Db.RunAsync("plan_save", _prefix, time, plan.Id, tenant, plan.ToByteArray(), previewProductionId,
            expire.ToUnixTimeMilliseconds(), Math.Max(1, (long)keep.TotalMilliseconds));
    }

    /// <summary>Reads a plan (expired or not), or null when the tenant has none with that id.</summary>
    public async Task<StoredPlan?> GetAsync(string tenant, string id)
    {
        if (!ProductionStore.IsId(id))
        {
            return null;
        }

        var fields = await Db.HashGetAsync($"{_prefix}plan:{id}", ["tenant", "plan", "preview"]);
        if (fields[0].IsNull || (string)fields[0]! != tenant)
        {
            return null;
        }

        return new StoredPlan(Plan.Parser.ParseFrom((byte[])fields[1]!), (string?)fields[2] ?? "");
    }
}

/// <summary>A plan and the internal production rendering its preview stills ("" when none).</summary>
public sealed record StoredPlan(Plan Plan, string PreviewProductionId);
