using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.State;
using RenderFarm.Storage;

namespace RenderFarm.Facade.Api;

/// <summary>ProductionService: one implementation serves gRPC and, through JSON transcoding, REST.</summary>
internal sealed class ProductionApi(
    ProductionStore store,
    ProductionCreator creator,
    ProductionViews views,
    ProductionWatcher watcher,
    IObjectStore objects) : ProductionService.ProductionServiceBase
{
    public override Task<Production> CreateProduction(CreateProductionRequest request, ServerCallContext context) =>
        creator.CreateAsync(Tenancy.Resolve(context), request, context.CancellationToken);

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
}
