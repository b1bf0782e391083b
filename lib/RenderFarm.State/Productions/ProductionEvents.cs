using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RenderFarm.State;

/// <summary>
/// The change feed of one production: a short replay list for resuming plus live pub/sub, merged
/// without gaps or repeats by sequence number.
/// </summary>
public sealed class ProductionEvents(IConnectionMultiplexer redis, IOptions<StateOptions> options)
{
    private readonly Keys _keys = new(options.Value.KeyPrefix);

    /// <summary>
    /// Yields the events after <paramref name="afterSequence"/> (replayed while the replay list still
    /// holds them), then live ones, until the production is deleted or the token is cancelled.
    /// </summary>
    public async IAsyncEnumerable<StoredEvent> WatchAsync(string id, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var live = Channel.CreateUnbounded<StoredEvent>(new UnboundedChannelOptions { SingleReader = true });
        var channel = RedisChannel.Literal(_keys.Events(id));
        var subscriber = redis.GetSubscriber();
        // Subscribe before reading the replay list so nothing published in between is missed.
        var queue = await subscriber.SubscribeAsync(channel);
        queue.OnMessage(message =>
        {
            if (Parse(message.Message) is { } ev)
            {
                live.Writer.TryWrite(ev);
            }
        });
        try
        {
            var last = afterSequence;
            foreach (var raw in await redis.GetDatabase().ListRangeAsync(_keys.Events(id)))
            {
                if (Parse(raw) is { } ev && ev.Sequence > last)
                {
                    last = ev.Sequence;
                    yield return ev;
                }
            }

            while (await live.Reader.WaitToReadAsync(cancellationToken))
            {
                while (live.Reader.TryRead(out var ev))
                {
                    if (ev.Type == "deleted")
                    {
                        yield return ev;
                        yield break;
                    }

                    if (ev.Sequence > last)
                    {
                        last = ev.Sequence;
                        yield return ev;
                    }
                }
            }
        }
        finally
        {
            await queue.UnsubscribeAsync();
        }
    }

    private static StoredEvent? Parse(RedisValue value) =>
        value.IsNullOrEmpty ? null : JsonSerializer.Deserialize(value.ToString(), EventJson.Default.StoredEvent);
}

/// <summary>One change as recorded by the scripts.</summary>
public sealed record StoredEvent(
    [property: JsonPropertyName("seq")] long Sequence,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("progress")] double Progress,
    [property: JsonPropertyName("stage")] string Stage,
    [property: JsonPropertyName("time")] long TimeMs);

[JsonSerializable(typeof(StoredEvent))]
internal sealed partial class EventJson : JsonSerializerContext;
