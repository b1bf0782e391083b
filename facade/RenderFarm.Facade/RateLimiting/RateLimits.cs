using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Facade.Auth;
using RenderFarm.State;

namespace RenderFarm.Facade.RateLimiting;

/// <summary>
/// Per-key request rate limits (token bucket in Redis; the tenant's RequestsPerMinute and Burst).
/// Every limited response carries <c>X-RateLimit-Limit</c> (bucket size), <c>-Remaining</c> and
/// <c>-Reset</c> (seconds until full): HTTP headers on REST, response metadata on gRPC.
/// </summary>
internal sealed class RateLimits(RequestBuckets buckets, IOptionsMonitor<TenantOptions> tenants)
{
    /// <summary>Charges one request to the caller's key and writes the headers; null when the tenant is unlimited.</summary>
    public async Task<RateDecision?> TakeAsync(HttpContext http, Caller caller)
    {
        var limits = tenants.CurrentValue.For(caller.Tenant);
        if (limits.RequestsPerMinute is not > 0)
        {
            return null;
        }

        var decision = await buckets.TakeAsync(caller.KeyId, limits.RequestsPerMinute.Value, limits.Burst ?? 1);
        var headers = http.Response.Headers;
        headers["X-RateLimit-Limit"] = Invariant(decision.Burst);
        headers["X-RateLimit-Remaining"] = Invariant(decision.Remaining);
        headers["X-RateLimit-Reset"] = Invariant(Seconds(decision.Reset));
        if (!decision.Allowed)
        {
            headers.RetryAfter = Invariant(Math.Max(1, Seconds(decision.RetryAfter)));
        }

        return decision;
    }

    /// <summary>RESOURCE_EXHAUSTED, reason RATE_LIMITED, with a RetryInfo.</summary>
    public static RpcException Refusal(RateDecision decision)
    {
        var retry = Math.Max(1, Seconds(decision.RetryAfter));
        return Problems.Build(StatusCode.ResourceExhausted, ErrorReasons.RateLimited,
            $"this key made more than {decision.Burst} requests at once or {decision.RequestsPerMinute} a minute; retry in {retry} s",
            new Dictionary<string, string>
            {
                ["requestsPerMinute"] = Invariant(decision.RequestsPerMinute),
                ["burst"] = Invariant(decision.Burst),
                ["retryAfterSeconds"] = Invariant(retry),
            },
            new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(retry)) });
    }

    private static int Seconds(TimeSpan t) => (int)Math.Ceiling(t.TotalSeconds);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
