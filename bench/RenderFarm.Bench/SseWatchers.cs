using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace RenderFarm.Bench;

/// <summary>
/// <c>RenderFarm.Bench watchers</c> (scripts/bench api): opens N Server-Sent Events streams of one
/// production on a facade, as N browser tabs would, writes a ready file once every stream has its
/// first event, then waits for each to receive the production's final state. Exit 0 only when all
/// of them did.
/// </summary>
internal static class SseWatchers
{
    public static async Task<int> RunAsync(string url, string key, string production, int watchers, string readyFile, TimeSpan timeout)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(url), Timeout = Timeout.InfiniteTimeSpan };
        using var cts = new CancellationTokenSource(timeout);
        var opened = 0;
        var allOpen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Opened()
        {
            if (Interlocked.Increment(ref opened) == watchers)
            {
                allOpen.TrySetResult();
            }
        }

        var tasks = Enumerable.Range(0, watchers).Select(_ => WatchAsync(http, key, production, Opened, cts.Token)).ToList();
        var started = DateTime.UtcNow;
        var ready = await Task.WhenAny(allOpen.Task, Task.WhenAll(tasks)) == allOpen.Task;
        Console.WriteLine(FormattableString.Invariant($"watchers: {opened}/{watchers} streams open after {(DateTime.UtcNow - started).TotalSeconds:F1} s"));
        if (ready)
        {
            await File.WriteAllTextAsync(readyFile, opened.ToString(CultureInfo.InvariantCulture));
        }

        var finals = await Task.WhenAll(tasks);
        var states = finals.GroupBy(s => s).Select(g => $"{g.Key} {g.Count()}").ToList();
        var received = finals.Count(s => s is "SUCCEEDED" or "FAILED" or "CANCELLED");
        Console.WriteLine($"watchers: {received}/{watchers} received the final state ({string.Join(", ", states)})");
        return received == watchers ? 0 : 1;
    }

    // Reads one stream to its end; returns the last production state it saw (or why it stopped).
    private static async Task<string> WatchAsync(HttpClient http, string key, string production, Action opened, CancellationToken ct)
    {
        var first = true;
        var state = "no event";
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/productions/{production}/events");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
            {
                opened();
                return $"HTTP_{(int)response.StatusCode}";
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                if (!line.StartsWith("data:", StringComparison.Ordinal))
                {
                    continue;
                }

                state = JsonNode.Parse(line[5..])?["production"]?["state"]?.GetValue<string>() ?? state;
                if (first)
                {
                    first = false;
                    opened();
                }
            }

            return state;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            if (first)
            {
                opened();
            }

            return e is OperationCanceledException ? $"TIMEOUT_AFTER_{state}" : "connection failed";
        }
    }
}
