using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts.V1;
using RenderFarm.Coordinator.Diagnostics;
using RenderFarm.Egress;
using RenderFarm.State;
using RenderFarm.Views;
using StackExchange.Redis;

namespace RenderFarm.Coordinator.Webhooks;

/// <summary>
/// Delivers the outbox: claims due deliveries (atomically, so several coordinators share the work),
/// POSTs each signed body with a timeout through the SSRF guard, and settles it: 2xx is delivered;
/// 408, 429, 5xx, timeouts and network errors retry with jittered exponential backoff until
/// <see cref="WebhookOptions.MaxAttempts"/>; other answers (3xx, 4xx) and refused destinations give up.
/// </summary>
internal sealed partial class WebhookSender(
    WebhookOutbox outbox,
    ProductionStore productions,
    ProductionViews views,
    IHttpClientFactory http,
    IOptions<WebhookOptions> options,
    IOptionsMonitor<TenantOptions> tenants,
    TimeProvider time,
    ILogger<WebhookSender> logger) : BackgroundService
{
    public const string HttpClientName = "renderfarm-webhooks";

    private WebhookOptions Options => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var batch = await outbox.ClaimAsync(Options.BatchSize, Options.ClaimTimeout);
                await Task.WhenAll(batch.Select(d => DeliverAsync(d, stoppingToken)));
                if (batch.Count < Options.BatchSize)
                {
                    await Task.Delay(Options.PollInterval, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // Claimed deliveries come back after the claim timeout.
                StateUnavailable(logger, e.Message);
                await Task.Delay(Options.PollInterval, time, stoppingToken);
            }
        }
    }

    private async Task DeliverAsync(WebhookDelivery delivery, CancellationToken ct)
    {
        var stored = await productions.GetAnyAsync(delivery.ProductionId);
        var limits = stored is null ? null : tenants.CurrentValue.For(stored.Tenant);
        var url = stored?.Production.WebhookUrl is { Length: > 0 } own ? own : limits?.WebhookUrl;
        if (stored is null || string.IsNullOrEmpty(url) || stored.Job.Kind != JobSpec.Types.Kind.Render)
        {
            // Deleted since, nobody asked to be told, or not a production's render (a plan's preview job).
            await outbox.CompleteAsync(delivery);
            return;
        }

        var secret = limits!.WebhookSecret is { Length: > 0 } tenantSecret ? tenantSecret : Options.SigningSecret;
        var body = WebhookPayload.Build(delivery, await views.ViewAsync(stored, ct));
        var (outcome, detail) = await PostAsync(url, body, secret, delivery, ct);
        switch (outcome)
        {
            case Outcome.Delivered:
                await outbox.CompleteAsync(delivery);
                CoordinatorMetrics.WebhooksDelivered.Inc();
                Delivered(logger, delivery.Type, delivery.ProductionId, delivery.Attempt);
                break;
            case Outcome.Retry when delivery.Attempt < Options.MaxAttempts:
                CoordinatorMetrics.WebhookAttemptsFailed.Inc();
                var delay = Backoff(delivery.Attempt, Options, Random.Shared.NextDouble());
                await outbox.RetryAsync(delivery, time.GetUtcNow() + delay);
                Retrying(logger, delivery.Type, delivery.ProductionId, delivery.Attempt, detail, delay);
                break;
            default:
                CoordinatorMetrics.WebhookAttemptsFailed.Inc();
                CoordinatorMetrics.WebhooksGivenUp.Inc();
                await outbox.CompleteAsync(delivery);
                GaveUp(logger, delivery.Type, delivery.ProductionId, delivery.Attempt, detail);
                break;
        }
    }

    private async Task<(Outcome, string)> PostAsync(string url, byte[] body, string secret, WebhookDelivery delivery, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return (Outcome.GiveUp, "not an absolute http(s) URL");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Compute(secret, time.GetUtcNow().ToUnixTimeSeconds(), body));
        request.Headers.Add("RenderFarm-Event", delivery.Type);
        request.Headers.Add("RenderFarm-Delivery", delivery.EventId);
        request.Headers.Add("RenderFarm-Attempt", delivery.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Options.Timeout);
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            return code switch
            {
                >= 200 and < 300 => (Outcome.Delivered, ""),
                (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or >= 500 => (Outcome.Retry, $"HTTP {code}"),
                _ => (Outcome.GiveUp, $"HTTP {code}"),
            };
        }
        catch (HttpRequestException e) when (DestinationGuard.FindRefusal(e) is { } refusal)
        {
            return (Outcome.GiveUp, refusal.Message);
        }
        catch (HttpRequestException e)
        {
            return (Outcome.Retry, e.Message);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (Outcome.Retry, $"no answer within {Options.Timeout}");
        }
    }

    /// <summary>Wait after failed attempt <paramref name="attempt"/>: first × 3^(attempt-1), capped, jittered ±20% by <paramref name="random"/> in [0, 1).</summary>
    internal static TimeSpan Backoff(int attempt, WebhookOptions options, double random)
    {
        var seconds = Math.Min(options.FirstRetryDelay.TotalSeconds * Math.Pow(3, attempt - 1), options.MaxRetryDelay.TotalSeconds);
        return TimeSpan.FromSeconds(seconds * (0.8 + (0.4 * random)));
    }

    private enum Outcome
    {
        Delivered,
        Retry,
        GiveUp,
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivered webhook {Type} of production {ProductionId} (attempt {Attempt})")]
    private static partial void Delivered(ILogger logger, string type, string productionId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Type} of production {ProductionId} attempt {Attempt} failed ({Detail}); retrying in {Delay}")]
    private static partial void Retrying(ILogger logger, string type, string productionId, int attempt, string detail, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up webhook {Type} of production {ProductionId} after attempt {Attempt}: {Detail}")]
    private static partial void GaveUp(ILogger logger, string type, string productionId, int attempt, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Farm state unavailable, webhooks paused: {Error}")]
    private static partial void StateUnavailable(ILogger logger, string error);
}
