using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>A loopback HTTP server that records webhook requests per path and answers each path with a scripted status.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _script = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Received>> _received = new();

    private WebhookReceiver(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public string Url(string path) => $"{BaseUrl}/{path}";

    /// <summary>Answers the next requests to <paramref name="path"/> with these statuses, then 200.</summary>
    public void Script(string path, params int[] statuses) => _script[path] = new ConcurrentQueue<int>(statuses);

    /// <summary>Requests to <paramref name="path"/> so far.</summary>
    public IReadOnlyList<Received> On(string path) => _received.TryGetValue(path, out var q) ? [.. q] : [];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        WebhookReceiver? self = null;
        app.MapPost("/{**path}", async (string path, HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var status = self!._script.TryGetValue(path, out var q) && q.TryDequeue(out var s) ? s : 200;
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            self._received.GetOrAdd(path, _ => new()).Enqueue(new Received(buffer.ToArray(), headers, status, DateTimeOffset.UtcNow));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        self = new WebhookReceiver(app, address.TrimEnd('/'));
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>One request as received, and the status it was answered with.</summary>
    public sealed record Received(byte[] Body, IReadOnlyDictionary<string, string> Headers, int Status, DateTimeOffset At);
}
