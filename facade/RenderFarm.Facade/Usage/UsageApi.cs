using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts.V1;
using RenderFarm.Facade.Auth;
using RenderFarm.State;

namespace RenderFarm.Facade.Usage;

/// <summary>UsageService: the caller's tenant against its limits, and the calling key's spend.</summary>
internal sealed class UsageApi(UsageStore usage, ApiKeyStore keys, IOptionsMonitor<TenantOptions> tenants) : UsageService.UsageServiceBase
{
    public override async Task<Contracts.V1.Usage> GetUsage(GetUsageRequest request, ServerCallContext context)
    {
        var caller = Tenancy.Caller(context);
        var limits = tenants.CurrentValue.For(caller.Tenant);
        var rates = caller.Limits?.Over(limits) ?? limits; // the key's own rate limits over its tenant's
        var footprint = await usage.FootprintAsync(caller.Tenant);
        var key = caller.IsStored ? await keys.GetAsync(caller.KeyId) : null;
        return new Contracts.V1.Usage
        {
            Tenant = caller.Tenant,
            PeriodStartTime = Timestamp.FromDateTimeOffset(usage.PeriodStart),
            RenderedSeconds = await usage.RenderedSecondsAsync(caller.Tenant),
            RenderedSecondsLimit = limits.RenderSecondsPerMonth ?? 0,
            StoredBytes = footprint.StoredBytes,
            StoredBytesLimit = limits.StoredBytes ?? 0,
            Running = footprint.Running,
            Queued = footprint.Queued,
            MaxRunning = limits.MaxRunning ?? 0,
            MaxQueued = limits.MaxQueued ?? 0,
            RateLimit = new Contracts.V1.Usage.Types.RateLimit
            {
                // The budget this call drew on: reads.
                RequestsPerMinute = caller.Rate?.RequestsPerMinute ?? rates.ReadsPerMinute ?? 0,
                Burst = caller.Rate?.Burst ?? rates.ReadBurst ?? 0,
                Remaining = caller.Rate?.Remaining ?? 0,
            },
            Key = new Contracts.V1.Usage.Types.KeySpend
            {
                Id = caller.KeyId,
                SpentSeconds = key?.SpentSeconds ?? 0,
                SpendLimitSeconds = key?.SpendLimitSeconds ?? 0,
            },
        };
    }
}
