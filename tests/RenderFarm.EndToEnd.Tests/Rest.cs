using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>REST calls the way an external client makes them: JSON text in, JSON text out.</summary>
internal static class Rest
{
    public static async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpClient http, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static async Task<JsonNode> CreateAsync(HttpClient http, string json)
    {
        var (status, body) = await SendAsync(http, HttpMethod.Post, "/v1/productions", json);
        Assert.True(status == HttpStatusCode.OK, $"create answered {status}: {body}");
        return body!;
    }

    public static async Task<JsonNode> GetAsync(HttpClient http, string id)
    {
        var (status, body) = await SendAsync(http, HttpMethod.Get, $"/v1/productions/{id}");
        Assert.True(status == HttpStatusCode.OK, $"get answered {status}: {body}");
        return body!;
    }

    /// <summary>Reads the SSE stream until a final state; returns every event (id, type, data).</summary>
    public static async Task<List<(long Id, string Type, JsonNode Data)>> ReadEventsAsync(HttpClient http, string id, long? lastEventId = null, TimeSpan? timeout = null, string? query = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/productions/{id}/events{(query is null ? "" : "?" + query)}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        var events = new List<(long, string, JsonNode)>();
        long eventId = 0;
        var type = "";
        while (await reader.ReadLineAsync(cts.Token) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                eventId = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var data = JsonNode.Parse(line[6..])!;
                events.Add((eventId, type, data));
                var state = data["production"]?["state"]?.GetValue<string>();
                if (state is "SUCCEEDED" or "FAILED" or "CANCELLED")
                {
                    break;
                }
            }
        }

        return events;
    }

    public static string Json(object value) => JsonSerializer.Serialize(value);
}
