using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Facade.Auth;
using RenderFarm.Facade.Productions;
using RenderFarm.Facade.RateLimiting;
using RenderFarm.Facade.Requests;

namespace RenderFarm.Facade.Sse;

/// <summary>
/// GET /v1/productions/{id}/events as Server-Sent Events: event ids are production event sequences,
/// so a reconnecting EventSource resumes with Last-Event-ID; comments keep idle connections open.
/// A browser, whose EventSource sends no Authorization header, passes a watch token
/// (<c>?watchToken=</c>, see <see cref="WatchTokens"/>) instead; one bound to another production
/// reads as NOT_FOUND, as another tenant's production does.
/// </summary>
internal static class ProductionEventsEndpoint
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));

    public static IEndpointRouteBuilder MapProductionEvents(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/productions/{id}/events", StreamAsync)
            .WithMetadata(Access.Scope(Contracts.V1.ApiKey.Types.Scope.Render), new BudgetMetadata(Budget.Stream), WatchTokenRoute.Instance);
        return endpoints;
    }

    private static async Task StreamAsync(string id, HttpContext http, ProductionWatcher watcher, IOptions<FacadeOptions> options)
    {
        var ct = http.RequestAborted;
        var lastId = http.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? http.Request.Query["lastEventId"].FirstOrDefault();
        long after = 0;
        if (!string.IsNullOrEmpty(lastId) && !long.TryParse(lastId, NumberStyles.None, CultureInfo.InvariantCulture, out after))
        {
            await WriteErrorAsync(http, Problems.InvalidArgument("Last-Event-ID", ErrorReasons.InvalidEventId, "must be an event id this stream sent"));
            return;
        }

        if (http.Features.Get<WatchGrant>() is { } grant && !grant.Covers(id))
        {
            await WriteErrorAsync(http, Problems.NotFound(ErrorReasons.ProductionNotFound, "productions", id));
            return;
        }

        await using var events = watcher.WatchAsync(Tenancy.Resolve(http), id, after, ct).GetAsyncEnumerator(ct);
        ValueTask<bool> next;
        try
        {
            // The first read validates the id before any SSE header is sent.
            next = new ValueTask<bool>(await events.MoveNextAsync());
        }
        catch (RpcException e)
        {
            await WriteErrorAsync(http, e);
            return;
        }
        catch (Exception e) when (StateOutageInterceptor.IsOutage(e))
        {
            await WriteErrorAsync(http, StateOutageInterceptor.Unavailable());
            return;
        }

        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        await http.Response.WriteAsync("retry: 2000\n\n", ct);
        try
        {
            while (true)
            {
                var keepAlive = Task.Delay(options.Value.KeepAliveInterval, ct);
                var nextTask = next.AsTask();
                while (await Task.WhenAny(nextTask, keepAlive) == keepAlive)
                {
                    await http.Response.WriteAsync(": keepalive\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                    keepAlive = Task.Delay(options.Value.KeepAliveInterval, ct);
                }

                if (!await nextTask)
                {
                    return;
                }

                var ev = events.Current;
                await http.Response.WriteAsync($"id: {ev.Sequence}\nevent: {ev.Type}\ndata: {Json.Format(ev)}\n\n", ct);
                await http.Response.Body.FlushAsync(ct);
                next = events.MoveNextAsync();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception e) when (StateOutageInterceptor.IsOutage(e))
        {
            // Headers are sent; ending the stream lets the EventSource reconnect with Last-Event-ID.
        }
    }

    private static Task WriteErrorAsync(HttpContext http, RpcException e)
    {
        http.Response.StatusCode = HttpStatus.FromGrpc(e.StatusCode);
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(e.ToJson());
    }
}
