using System.Text.Json;
using Google.Protobuf;
using RenderFarm.Contracts.V1;
using RenderFarm.State;

namespace RenderFarm.Coordinator.Webhooks;

/// <summary>
/// The body of a delivery: <c>{"type":"production.succeeded","id":"{event id}","createTime":"…",
/// "data":{"production":{…}}}</c>, the production as GetProduction shows it (a fresh result URL).
/// </summary>
internal static class WebhookPayload
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);

    public static byte[] Build(WebhookDelivery delivery, Production production)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", delivery.Type);
            writer.WriteString("id", delivery.EventId);
            writer.WriteString("createTime", DateTimeOffset.FromUnixTimeMilliseconds(delivery.TimeMs).UtcDateTime
                .ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteStartObject("data");
            writer.WritePropertyName("production");
            writer.WriteRawValue(Formatter.Format(production), skipInputValidation: true);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
