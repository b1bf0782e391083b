using System.Net;
using System.Text;
using System.Text.Json;

namespace RenderFarm.Cli.Api;

/// <summary>
/// Follows a production to its final state: the SSE stream <c>GET /v1/productions/{id}/events</c>
/// (resumed with Last-Event-ID after a drop), falling back to polling <c>GET /v1/productions/{id}</c>
/// when the stream cannot be had. Reports every production it sees.
/// </summary>
internal sealed class ProductionFollower(FarmClient client, TimeSpan pollInterval, Action<string> notice)
{
    public static bool IsFinal(JsonElement production) =>
        CliContext.Str(production, "state") is "SUCCEEDED" or "FAILED" or "CANCELLED";

    public async Task<JsonElement> FollowAsync(string id, Action<JsonElement> onUpdate, CancellationToken ct)
    {
        string? lastEventId = null;
        string why = "";
        for (var attempt = 0; attempt < 3; attempt++)
        {
            JsonElement? last;
            try
            {
                (last, lastEventId) = await StreamAsync(id, lastEventId, onUpdate, ct);
            }
            catch (ApiError e) when (e.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
            {
                throw;
            }
            catch (Exception e) when (e is CliException or IOException or HttpRequestException && !ct.IsCancellationRequested)
            {
                // A stream refused (429: too many streams) or broken: try again, then poll.
                last = null;
                why = e.Message;
            }

            if (last is { } final && IsFinal(final))
            {
                return final;
            }
        }

        notice($"the event stream is unavailable ({why}); polling every {pollInterval.TotalSeconds:0.#} s");
        return await PollAsync(id, onUpdate, ct);
    }

    private async Task<(JsonElement? Last, string? LastEventId)> StreamAsync(string id, string? lastEventId, Action<JsonElement> onUpdate, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/productions/{Uri.EscapeDataString(id)}/events");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        using var response = await client.SendRawAsync(request, HttpCompletionOption.ResponseHeadersRead, ct, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw ApiError.From(response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        }

        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        JsonElement? last = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("id:", StringComparison.Ordinal))
            {
                lastEventId = line[3..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Append(line.AsSpan(5).TrimStart(' '));
            }
            else if (line.Length == 0 && data.Length > 0)
            {
                using var doc = JsonDocument.Parse(data.ToString());
                data.Clear();
                if (doc.RootElement.TryGetProperty("production", out var production) && production.ValueKind == JsonValueKind.Object)
                {
                    last = production.Clone();
                    onUpdate(last.Value);
                    if (IsFinal(last.Value))
                    {
                        return (last, lastEventId);
                    }
                }
            }
        }

        return (last, lastEventId);
    }

    private async Task<JsonElement> PollAsync(string id, Action<JsonElement> onUpdate, CancellationToken ct)
    {
        while (true)
        {
            var production = await client.GetAsync($"v1/productions/{Uri.EscapeDataString(id)}", ct);
            onUpdate(production);
            if (IsFinal(production))
            {
                return production;
            }

            await Task.Delay(pollInterval, ct);
        }
    }
}
