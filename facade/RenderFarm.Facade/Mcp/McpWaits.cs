using System.Text.Json.Nodes;
using Grpc.Core;
using RenderFarm.Contracts.V1;
using RenderFarm.Facade.Plans;
using RenderFarm.Facade.Productions;
using RenderFarm.Facade.Requests;
using RenderFarm.State;

namespace RenderFarm.Facade.Mcp;

/// <summary>The bounded waits of the MCP tools: for a production to end, and for a plan's preview stills.</summary>
internal static class McpWaits
{
    private static readonly TimeSpan PreviewPoll = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Follows the production through WatchProduction (the gRPC stream's own implementation) until it
    /// ends or <paramref name="timeout"/> passes, then reads it once more for fresh URLs.
    /// </summary>
    public static async Task<JsonObject> ProductionAsync(McpCall call, WatchProductionRequest request, TimeSpan timeout)
    {
        var time = call.Services.GetRequiredService<TimeProvider>();
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(call.CancellationToken, deadline.Token);
        var api = ActivatorUtilities.GetServiceOrCreateInstance<ProductionApi>(call.Services);
        var interceptor = ActivatorUtilities.GetServiceOrCreateInstance<StateOutageInterceptor>(call.Services);
        var events = new EventSink(call.ReportProgressAsync);
        try
        {
            await interceptor.ServerStreamingServerHandler(request, events, new McpCallContext(call.Http, call.Method, linked.Token),
                (r, w, c) => api.WatchProduction(r, w, c));
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !call.CancellationToken.IsCancellationRequested)
        {
            // Timed out: answer with the production as it is.
        }

        var production = await call.InvokeAsync<ProductionApi, GetProductionRequest, Production>(
            new GetProductionRequest { Id = request.Id }, (a, r, c) => a.GetProduction(r, c));
        var finished = production.State.IsFinal();
        var json = new JsonObject
        {
            ["finished"] = finished,
            ["state"] = production.State.ToString().ToUpperInvariant(),
            ["events"] = events.Count,
        };
        if (production.Result is { } result)
        {
            json["url"] = result.Url;
            if (result.PosterUrl.Length > 0)
            {
                json["posterUrl"] = result.PosterUrl;
            }

            json["sidecarUrls"] = new JsonArray([.. result.Sidecars.Where(s => s.Url.Length > 0).Select(s => (JsonNode)s.Url)]);
            json["stillUrls"] = new JsonArray([.. result.Stills.Where(s => s.Url.Length > 0).Select(s => (JsonNode)s.Url)]);
            json["transcript"] = string.Join(' ', result.Transcript.Select(w => w.Text));
        }

        json["production"] = McpTools.WithoutCanvas(production);
        return json;
    }

    /// <summary>Reads the plan again every half second until its previews are no longer PENDING or <paramref name="wait"/> passes.</summary>
    public static async Task<Plan> PreviewsAsync(McpCall call, Plan plan, TimeSpan wait)
    {
        var time = call.Services.GetRequiredService<TimeProvider>();
        var until = time.GetUtcNow() + wait;
        while (plan.Preview?.State == PlanPreview.Types.State.Pending && time.GetUtcNow() < until)
        {
            await Task.Delay(PreviewPoll, time, call.CancellationToken);
            plan = await call.InvokeAsync<PlanApi, GetPlanRequest, Plan>(new GetPlanRequest { Id = plan.Id }, (api, r, c) => api.GetPlan(r, c));
        }

        return plan;
    }

    // Each event whose progress moved on is a progress notification (MCP asks progress to increase);
    // the production is read fresh once the wait ends.
    private sealed class EventSink(Func<double, string, Task> report) : IServerStreamWriter<ProductionEvent>
    {
        private double _last = -1;

        public int Count { get; private set; }

        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(ProductionEvent message) => WriteAsync(message, CancellationToken.None);

        // The interface's default refuses a cancellable token; WatchProduction passes one.
        public async Task WriteAsync(ProductionEvent message, CancellationToken cancellationToken)
        {
            Count++;
            var production = message.Production;
            // 1 is kept for the end, so the final state is always a notification of its own.
            var progress = production.State.IsFinal() ? 1 : Math.Clamp(production.Progress, 0, 1) * 0.99;
            if (progress > _last)
            {
                _last = progress;
                var stage = production.Stage.Length > 0 ? $" ({production.Stage})" : "";
                await report(progress, $"{production.State.ToString().ToUpperInvariant()}{stage}");
            }
        }
    }
}
