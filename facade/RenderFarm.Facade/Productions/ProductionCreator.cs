using System.Diagnostics;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Facade.Auth;
using RenderFarm.Facade.Diagnostics;
using RenderFarm.Facade.Usage;
using RenderFarm.State;
using RenderFarm.Views;

namespace RenderFarm.Facade.Productions;

/// <summary>Validates, normalizes and queues a production: CreateProduction and RenderPlan share it.</summary>
internal sealed partial class ProductionCreator(
    ProductionStore store,
    ProductionViews views,
    Quotas quotas,
    ReferenceChecks references,
    IOptions<FacadeOptions> options,
    ILogger<ProductionCreator> logger)
{
    public async Task<Production> CreateAsync(Caller caller, CreateProductionRequest request, CancellationToken ct)
    {
        var violations = CreateRequestRules.Validate(request);
        if (violations.Count > 0)
        {
            FacadeMetrics.Rejected.Inc();
            throw Problems.InvalidArgument(violations);
        }

        return await QueueAsync(caller, CreateRequestRules.Normalize(request), ct);
    }

    /// <summary>
    /// Queues a caller's request that passed <see cref="CreateRequestRules"/> (and may carry reserved
    /// labels). Its seconds are reserved against the tenant's quota and the key's spend cap first.
    /// </summary>
    public async Task<Production> QueueAsync(Caller caller, CreateProductionRequest normalized, CancellationToken ct)
    {
        // The production's trace starts here: its id goes into the stored job, and the coordinator and the node continue it.
        using var span = FarmTracing.Facade.StartActivity("production create", ActivityKind.Server);
        span?.SetTag("renderfarm.tenant", caller.Tenant);
        await references.ValidateAsync(caller.Tenant, normalized, ct);
        var reservation = await quotas.ReserveAsync(caller, normalized);
        CreateOutcome? outcome = null;
        try
        {
            outcome = await store.CreateAsync(caller.Tenant, normalized, options.Value.MaxAttempts, options.Value.IdempotencyTtl);
        }
        finally
        {
            await quotas.SettleAsync(reservation, outcome);
        }

        var production = await FinishAsync(caller.Tenant, normalized, outcome, ct);
        span?.SetTag("renderfarm.production_id", production.Id);
        return production;
    }

    /// <summary>Queues the farm's own work for a tenant, a job of another kind than a render (preview stills): no quota applies.</summary>
    public async Task<Production> QueueInternalAsync(string tenant, CreateProductionRequest normalized, JobSpec job, CancellationToken ct) =>
        await FinishAsync(tenant, normalized, await store.CreateAsync(tenant, normalized, options.Value.MaxAttempts, options.Value.IdempotencyTtl, job), ct);

    private async Task<Production> FinishAsync(string tenant, CreateProductionRequest normalized, CreateOutcome outcome, CancellationToken ct)
    {
        if (outcome.QueueFull)
        {
            FacadeMetrics.Rejected.Inc();
            throw Problems.ResourceExhausted(ErrorReasons.QueueLimitExceeded,
                $"tenant {tenant} already has {outcome.QueueLimit} productions waiting, its queue limit; retry when some have started",
                new Dictionary<string, string> { ["tenant"] = tenant, ["limit"] = outcome.QueueLimit.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        if (outcome.Conflict)
        {
            throw Problems.AlreadyExists(ErrorReasons.RequestIdReused,
                $"requestId '{normalized.RequestId}' was already used for a different request",
                new Dictionary<string, string> { ["field"] = "requestId" });
        }

        var stored = outcome.Production!;
        if (!outcome.Existing)
        {
            FacadeMetrics.Created.Inc();
            Created(logger, stored.Production.Id, tenant, stored.Production.Canvas.Segments.Count);
        }

        return await views.ViewAsync(stored, ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued production {ProductionId} for tenant {Tenant} ({Segments} segments)")]
    private static partial void Created(ILogger logger, string productionId, string tenant, int segments);
}
