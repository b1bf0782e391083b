using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Facade.Diagnostics;
using RenderFarm.State;

namespace RenderFarm.Facade.Api;

/// <summary>Validates, normalizes and queues a production: CreateProduction and RenderPlan share it.</summary>
internal sealed partial class ProductionCreator(
    ProductionStore store,
    ProductionViews views,
    ReferenceChecks references,
    IOptions<FacadeOptions> options,
    ILogger<ProductionCreator> logger)
{
    public async Task<Production> CreateAsync(string tenant, CreateProductionRequest request, CancellationToken ct)
    {
        var violations = CreateRequestRules.Validate(request);
        if (violations.Count > 0)
        {
            FacadeMetrics.Rejected.Inc();
            throw Problems.InvalidArgument(violations);
        }

        return await QueueAsync(tenant, CreateRequestRules.Normalize(request), ct);
    }

    /// <summary>Queues a request that passed <see cref="CreateRequestRules"/> (and may carry reserved labels).</summary>
    public async Task<Production> QueueAsync(string tenant, CreateProductionRequest normalized, CancellationToken ct)
    {
        await references.ValidateAsync(tenant, normalized, ct);
        var outcome = await store.CreateAsync(tenant, normalized, options.Value.MaxAttempts, options.Value.IdempotencyTtl);
        if (outcome.Conflict)
        {
            throw Problems.AlreadyExists("REQUEST_ID_REUSED",
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
