using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RenderFarm.State;

/// <summary>
/// Messages for whichever coordinator holds a node's stream (cancel an assignment), and the
/// queue signal that wakes dispatchers. Scripts publish; coordinators subscribe.
/// </summary>
public sealed class ControlBus(IConnectionMultiplexer redis, IOptions<StateOptions> options)
{
    private readonly Keys _keys = new(options.Value.KeyPrefix);

    /// <summary>Calls <paramref name="handler"/> for every control message until the subscription ends.</summary>
    public Task SubscribeControlAsync(Action<ControlMessage> handler) =>
        redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(_keys.Control), (_, value) =>
        {
            if (JsonSerializer.Deserialize(value.ToString(), ControlJson.Default.ControlMessage) is { } message)
            {
                handler(message);
            }
        });

    /// <summary>Calls <paramref name="handler"/> whenever work is queued.</summary>
    public Task SubscribeSignalAsync(Action handler) =>
        redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(_keys.Signal), (_, _) => handler());
}

/// <summary>
/// Stop assignment <see cref="Id"/> (lease <see cref="Token"/>) on node <see cref="Node"/>, or, with
/// <see cref="Kind"/> "drain", stop the node taking work (running renders get <see cref="TimeoutMs"/>, 0: the node's default).
/// </summary>
public sealed record ControlMessage(
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("kind")] string? Kind = null,
    [property: JsonPropertyName("timeout_ms")] long TimeoutMs = 0)
{
    /// <summary><see cref="Kind"/> of a drain request; cancels (published by the scripts) carry none.</summary>
    public const string DrainKind = "drain";

    /// <summary>Whether this asks for a drain rather than a cancel.</summary>
    public bool IsDrain => Kind == DrainKind;
}

[JsonSerializable(typeof(ControlMessage))]
internal sealed partial class ControlJson : JsonSerializerContext;
