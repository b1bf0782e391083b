using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Facade.Auth;
using RenderFarm.Facade.Diagnostics;
using RenderFarm.State;

namespace RenderFarm.Facade.RateLimiting;

/// <summary>
/// Per-key limits, three budgets (<see cref="Budget"/>): reads and writes each take one request
/// from their own token bucket in Redis (ReadsPerMinute/ReadBurst, RequestsPerMinute/Burst; a key
/// that calls fast takes them in batches, <see cref="HeldTokens"/>), and a
/// stream holds one of MaxStreams slots while it is open. Every bucket-limited response carries
/// <c>X-RateLimit-Limit</c> (bucket size), <c>-Remaining</c> and <c>-Reset</c> (seconds until full)
/// of the bucket it drew on: HTTP headers on REST, response metadata on gRPC.
/// </summary>
internal sealed class RateLimits(HeldTokens buckets, StreamSlots streams, IOptionsMonitor<TenantOptions> tenants)
{
    /// <summary>
    /// The limits that apply to a caller: its tenant's, under the key's own where the key carries
    /// some (<see cref="Caller.Limits"/>: what a key sets wins, the rest is the tenant's).
    /// </summary>
    public TenantLimits LimitsFor(Caller caller)
    {
        var tenant = tenants.CurrentValue.For(caller.Tenant);
        return caller.Limits?.Over(tenant) ?? tenant;
    }

    /// <summary>Charges one read or write to the caller's key and writes the headers; null when that budget is unlimited.</summary>
    public async Task<RateDecision?> TakeAsync(HttpContext http, Caller caller, Budget budget)
    {
        var limits = LimitsFor(caller);
        var (perMinute, burst) = budget == Budget.Read ? (limits.ReadsPerMinute, limits.ReadBurst) : (limits.RequestsPerMinute, limits.Burst);
        if (perMinute is not > 0)
        {
            return null;
        }

        // Reads and writes of one key fill separate buckets.
        var bucket = budget == Budget.Read ? caller.KeyId + ":r" : caller.KeyId;
        var decision = await buckets.TakeAsync(bucket, perMinute.Value, burst ?? 1);
        // An MCP tool call charges its budget once its response is under way: its headers are sent.
        if (!http.Response.HasStarted)
        {
            var headers = http.Response.Headers;
            headers["X-RateLimit-Limit"] = Invariant(decision.Burst);
            headers["X-RateLimit-Remaining"] = Invariant(decision.Remaining);
            headers["X-RateLimit-Reset"] = Invariant(Seconds(decision.Reset));
            if (!decision.Allowed)
            {
                headers.RetryAfter = Invariant(Math.Max(1, Seconds(decision.RetryAfter)));
            }
        }

        if (!decision.Allowed)
        {
            FacadeMetrics.RateLimited.WithLabels(budget.Name()).Inc();
        }

        return decision;
    }

    /// <summary>Opens a stream slot for the caller's key; null when streams are unlimited.</summary>
    public async Task<StreamDecision?> OpenStreamAsync(HttpContext http, Caller caller)
    {
        var max = LimitsFor(caller).MaxStreams ?? 0;
        if (max <= 0)
        {
            return null;
        }

        var decision = await streams.OpenAsync(caller.KeyId, max);
        if (!decision.Allowed)
        {
            if (!http.Response.HasStarted)
            {
                http.Response.Headers.RetryAfter = Invariant(StreamRetrySeconds);
            }

            FacadeMetrics.RateLimited.WithLabels(Budget.Stream.Name()).Inc();
        }

        return decision;
    }

    /// <summary>RESOURCE_EXHAUSTED, reason RATE_LIMITED, with a RetryInfo.</summary>
    public static RpcException Refusal(RateDecision decision, Budget budget)
    {
        var retry = Math.Max(1, Seconds(decision.RetryAfter));
        var what = budget.Name();
        return Problems.Build(StatusCode.ResourceExhausted, ErrorReasons.RateLimited,
            $"this key made more than {decision.Burst} {what} at once or {decision.RequestsPerMinute} a minute; retry in {retry} s",
            new Dictionary<string, string>
            {
                ["budget"] = what,
                ["requestsPerMinute"] = Invariant(decision.RequestsPerMinute),
                ["burst"] = Invariant(decision.Burst),
                ["retryAfterSeconds"] = Invariant(retry),
            },
            new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(retry)) });
    }

    /// <summary>RESOURCE_EXHAUSTED, reason RATE_LIMITED: the key holds as many streams open as it may.</summary>
    public static RpcException Refusal(StreamDecision decision) =>
        Problems.Build(StatusCode.ResourceExhausted, ErrorReasons.RateLimited,
            $"this key holds {decision.Open} streams open, the most it may ({decision.MaxStreams}); close one first",
            new Dictionary<string, string>
            {
                ["budget"] = Budget.Stream.Name(),
                ["maxStreams"] = Invariant(decision.MaxStreams),
                ["retryAfterSeconds"] = Invariant(StreamRetrySeconds),
            },
            new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(StreamRetrySeconds)) });

    // A slot frees when one of the key's streams closes, which nothing here can foresee.
    private const int StreamRetrySeconds = 5;

    private static int Seconds(TimeSpan t) => (int)Math.Ceiling(t.TotalSeconds);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
