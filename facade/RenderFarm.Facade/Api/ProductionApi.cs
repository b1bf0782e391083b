using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Facade.Diagnostics;
using RenderFarm.State;
using RenderFarm.Storage;

namespace RenderFarm.Facade.Api;

/// <summary>ProductionService: one implementation serves gRPC and, through JSON transcoding, REST.</summary>
internal sealed partial class ProductionApi(
    ProductionStore store,
    ProductionViews views,
    ProductionWatcher watcher,
    ReferenceChecks references,
    IObjectStore objects,
    IOptions<FacadeOptions> options,
    ILogger<ProductionApi> logger) : ProductionService.ProductionServiceBase
{
    public override async Task<Production> CreateProduction(CreateProductionRequest request, ServerCallContext context)
    {
        var violations = CreateRequestRules.Validate(request);
        if (violations.Count > 0)
        {
            FacadeMetrics.Rejected.Inc();
            throw Problems.InvalidArgument(violations);
        }

        var tenant = Tenancy.Resolve(context);
        await references.ValidateAsync(tenant, request, context.CancellationToken);
        var normalized = CreateRequestRules.Normalize(request);
        var outcome = await store.CreateAsync(tenant, normalized, options.Value.MaxAttempts, options.Value.IdempotencyTtl);
        if (outcome.Conflict)
        {
            throw Problems.AlreadyExists("REQUEST_ID_REUSED",
                $"requestId '{request.RequestId}' was already used for a different request",
                new Dictionary<string, string> { ["field"] = "requestId" });
        }

        var stored = outcome.Production!;
        if (!outcome.Existing)
        {
            FacadeMetrics.Created.Inc();
            Created(logger, stored.Production.Id, tenant, stored.Production.Canvas.Segments.Count);
        }

        return await views.ViewAsync(stored, context.CancellationToken);
    }

    public override async Task<Production> GetProduction(GetProductionRequest request, ServerCallContext context) =>
        await views.ViewAsync(await FindAsync(request.Id, context), context.CancellationToken);

    public override async Task<ListProductionsResponse> ListProductions(ListProductionsRequest request, ServerCallContext context)
    {
        if (request.PageSize is < 0)
        {
            throw Problems.InvalidArgument("pageSize", "OUT_OF_RANGE", "must not be negative");
        }

        if (!PageTokens.TryDecode(request.PageToken, out var cursor))
        {
            throw Problems.InvalidArgument("pageToken", "INVALID_PAGE_TOKEN", "is not a token this API returned");
        }

        if (!System.Enum.IsDefined(request.State))
        {
            throw Problems.InvalidArgument("state", "INVALID_ENUM", "is not a production state");
        }

        // AIP-158: 0 means the default; larger sizes are coerced to the maximum.
        var size = request.PageSize == 0 ? 20 : Math.Min(request.PageSize, 100);
        var page = await store.ListAsync(Tenancy.Resolve(context), size, cursor?.CreateMs, cursor?.Id, request.State);
        var response = new ListProductionsResponse { NextPageToken = page.Next is null ? "" : PageTokens.Encode(page.Next) };
        foreach (var item in page.Items)
        {
            response.Productions.Add(await views.ViewAsync(item, context.CancellationToken));
        }

        return response;
    }

    public override async Task<Empty> DeleteProduction(DeleteProductionRequest request, ServerCallContext context)
    {
        if (!await store.DeleteAsync(Tenancy.Resolve(context), request.Id))
        {
            throw Problems.NotFound("productions", request.Id);
        }

        await objects.DeletePrefixAsync(ProductionStore.ObjectPrefix(request.Id), context.CancellationToken);
        return new Empty();
    }

    public override async Task<Production> CancelProduction(CancelProductionRequest request, ServerCallContext context)
    {
        var tenant = Tenancy.Resolve(context);
        var state = await store.CancelAsync(tenant, request.Id) ?? throw Problems.NotFound("productions", request.Id);
        if (state is Production.Types.State.Succeeded or Production.Types.State.Failed)
        {
            var name = state.ToString()!.ToUpperInvariant();
            throw Problems.FailedPrecondition("PRODUCTION_FINISHED", $"production '{request.Id}' already {name}; nothing to cancel",
                new Dictionary<string, string> { ["state"] = name });
        }

        // An upload that finished just before the cancel is no output of a cancelled production.
        await objects.DeletePrefixAsync(ProductionStore.ObjectPrefix(request.Id), context.CancellationToken);
        return await views.ViewAsync(await FindAsync(request.Id, context), context.CancellationToken);
    }

    public override async Task WatchProduction(WatchProductionRequest request, IServerStreamWriter<ProductionEvent> responseStream, ServerCallContext context)
    {
        await foreach (var ev in watcher.WatchAsync(Tenancy.Resolve(context), request.Id, request.AfterSequence, context.CancellationToken))
        {
            await responseStream.WriteAsync(ev, context.CancellationToken);
        }
    }

    private async Task<StoredProduction> FindAsync(string id, ServerCallContext context) =>
        await store.GetAsync(Tenancy.Resolve(context), id) ?? throw Problems.NotFound("productions", id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued production {ProductionId} for tenant {Tenant} ({Segments} segments)")]
    private static partial void Created(ILogger logger, string productionId, string tenant, int segments);
}
