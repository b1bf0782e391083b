using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Facade.Auth;
using RenderFarm.Facade.Paging;
using RenderFarm.Facade.Usage;
using RenderFarm.State;
using RenderFarm.Storage;
using RenderFarm.Views;

namespace RenderFarm.Facade.Productions;

/// <summary>ProductionService: one implementation serves gRPC and, through JSON transcoding, REST.</summary>
internal sealed class ProductionApi(
    ProductionStore store,
    ProductionCreator creator,
    ProductionViews views,
    ProductionWatcher watcher,
    IObjectStore objects,
    PageTokens pageTokens,
    WatchTokens watchTokens,
    Quotas quotas,
    FinishedProductions finished) : ProductionService.ProductionServiceBase
{
    public override Task<Production> CreateProduction(CreateProductionRequest request, ServerCallContext context) =>
        creator.CreateAsync(Tenancy.Caller(context), IdempotencyKey.Apply(request, context), context.CancellationToken);

    public override async Task<Production> GetProduction(GetProductionRequest request, ServerCallContext context)
    {
        var tenant = Tenancy.Resolve(context);
        if (finished.Find(tenant, request.Id) is { } kept)
        {
            return kept.View;
        }

        var generation = finished.Generation;
        var view = await views.ViewAsync(await FindAsync(request.Id, context), context.CancellationToken);
        finished.Keep(tenant, request.Id, view, generation);
        return view;
    }

    public override async Task<ListProductionsResponse> ListProductions(ListProductionsRequest request, ServerCallContext context)
    {
        var size = PageTokens.PageSize(request.PageSize);
        if (!System.Enum.IsDefined(request.State))
        {
            throw Problems.InvalidArgument("state", ErrorReasons.InvalidEnum, "is not a production state");
        }

        // A token is bound to the tenant and the filter it was issued for.
        var tenant = Tenancy.Resolve(context);
        var filter = $"productions?state={request.State}";
        var cursor = pageTokens.Decode(request.PageToken, tenant, filter);
        var page = await store.ListAsync(tenant, size, cursor?.CreateMs, cursor?.Id, request.State);
        var response = new ListProductionsResponse { NextPageToken = page.Next is null ? "" : pageTokens.Encode(page.Next, tenant, filter) };
        foreach (var item in page.Items)
        {
            response.Productions.Add(await views.ViewAsync(item, context.CancellationToken));
        }

        return response;
    }

    public override async Task<Empty> DeleteProduction(DeleteProductionRequest request, ServerCallContext context)
    {
        var tenant = Tenancy.Resolve(context);
        var before = await store.GetAsync(tenant, request.Id);
        if (before is null || !await store.DeleteAsync(tenant, request.Id))
        {
            throw Problems.NotFound(ErrorReasons.ProductionNotFound, "productions", request.Id);
        }

        // Every facade hears the delete; this one forgets before it answers (read-your-writes).
        finished.Forget(request.Id);

        if (before.Production.State != Production.Types.State.Succeeded)
        {
            await quotas.RefundAsync(request.Id);
        }

        await objects.DeletePrefixAsync(ProductionStore.ObjectPrefix(request.Id), context.CancellationToken);
        return new Empty();
    }

    public override async Task<Production> CancelProduction(CancelProductionRequest request, ServerCallContext context)
    {
        var tenant = Tenancy.Resolve(context);
        var state = await store.CancelAsync(tenant, request.Id) ?? throw Problems.NotFound(ErrorReasons.ProductionNotFound, "productions", request.Id);
        if (state is Production.Types.State.Succeeded or Production.Types.State.Failed)
        {
            var name = state.ToString()!.ToUpperInvariant();
            throw Problems.FailedPrecondition(ErrorReasons.ProductionFinished, $"production '{request.Id}' already {name}; nothing to cancel",
                new Dictionary<string, string> { ["state"] = name });
        }

        await quotas.RefundAsync(request.Id);
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

    public override async Task<WatchToken> CreateWatchToken(CreateWatchTokenRequest request, ServerCallContext context)
    {
        if (request.Production.Length > 0)
        {
            await FindAsync(request.Production, context);
        }

        var (token, expires) = watchTokens.Mint(Tenancy.Caller(context), request.Production);
        return new WatchToken { Token = token, ExpireTime = Timestamp.FromDateTimeOffset(expires), Production = request.Production };
    }

    private async Task<StoredProduction> FindAsync(string id, ServerCallContext context) =>
        await store.GetAsync(Tenancy.Resolve(context), id) ?? throw Problems.NotFound(ErrorReasons.ProductionNotFound, "productions", id);
}
