using System.Runtime.CompilerServices;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.State;
using RenderFarm.Views;

namespace RenderFarm.Facade.Productions;

/// <summary>
/// What watchers (gRPC stream, NDJSON, SSE) receive: the current state first, then every change,
/// ending after a final state. Each event carries the production as it was at that change.
/// Progress events are thinned to at most MaxProgressEventsPerSecond by their recorded times, so a
/// replay thins the same way; state changes always pass.
/// </summary>
internal sealed class ProductionWatcher(ProductionStore store, ProductionEvents events, ProductionViews views, IOptions<FacadeOptions> options, TimeProvider time)
{
    public async IAsyncEnumerable<ProductionEvent> WatchAsync(string tenant, string id, long afterSequence, [EnumeratorCancellation] CancellationToken ct)
    {
        var current = await store.GetAsync(tenant, id) ?? throw Problems.NotFound(ErrorReasons.ProductionNotFound, "productions", id);
        if (afterSequence < 0)
        {
            throw Problems.InvalidArgument("afterSequence", ErrorReasons.OutOfRange, "must not be negative");
        }

        var after = afterSequence;
        if (afterSequence == 0)
        {
            // A new watcher starts from the state as it is now.
            yield return new ProductionEvent
            {
                Sequence = current.Sequence,
                Type = "state",
                Production = await views.ViewAsync(current, ct),
                Time = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
            };
            after = current.Sequence;
        }

        if (current.IsFinal && after >= current.Sequence)
        {
            yield break;
        }

        // Resuming replays what was missed from the event list, then follows live changes.
        var feed = events.WatchAsync(id, after, ct);
        var spacingMs = options.Value.MaxProgressEventsPerSecond > 0 ? 1000.0 / options.Value.MaxProgressEventsPerSecond : 0;
        long? lastProgressMs = null;
        await foreach (var stored in feed)
        {
            if (stored.Type == "deleted")
            {
                yield break;
            }

            if (stored.Type == "progress")
            {
                if (lastProgressMs is { } last && stored.TimeMs - last < spacingMs)
                {
                    continue;
                }

                lastProgressMs = stored.TimeMs;
            }

            var latest = await store.GetAsync(tenant, id);
            if (latest is null)
            {
                yield break;
            }

            var production = await views.ViewAsync(latest, ct);
            // The event's own state wins over a later read, so a replay shows each step in order.
            if (System.Enum.TryParse<Production.Types.State>(stored.State, ignoreCase: true, out var state))
            {
                production.State = state;
            }

            production.Progress = stored.Progress;
            production.Stage = stored.Stage;
            yield return new ProductionEvent
            {
                Sequence = stored.Sequence,
                Type = stored.Type,
                Production = production,
                Time = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(stored.TimeMs)),
            };
            if (production.State.IsFinal())
            {
                yield break;
            }
        }
    }
}
