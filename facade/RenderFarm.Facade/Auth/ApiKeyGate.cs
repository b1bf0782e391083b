using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Facade.Diagnostics;
using RenderFarm.Facade.RateLimiting;
using RenderFarm.Facade.Requests;
using RenderFarm.Hosting;
using RenderFarm.State;

namespace RenderFarm.Facade.Auth;

/// <summary>
/// Every API request passes here before anything reads its body: the bearer key is authenticated
/// (UNAUTHENTICATED: API_KEY_MISSING, API_KEY_INVALID), charged one read or write from its token
/// buckets, or given a stream slot held while the response is open (RESOURCE_EXHAUSTED:
/// RATE_LIMITED), and checked for the scope the method needs (PERMISSION_DENIED:
/// SCOPE_MISSING). One middleware serves native gRPC, transcoded REST and SSE alike, so refusals
/// look the same everywhere: a gRPC status with ErrorInfo, or its JSON with the matching HTTP status.
/// A route marked <see cref="WatchTokenRoute"/> (SSE) also takes a <c>?watchToken=</c> when no header
/// is sent (<see cref="WatchTokens"/>: WATCH_TOKEN_INVALID, WATCH_TOKEN_EXPIRED).
/// </summary>
internal sealed partial class ApiKeyGate(
    RequestDelegate next,
    ApiKeyCache keys,
    ApiKeyStore store,
    WatchTokens watchTokens,
    RateLimits limits,
    IOptions<AuthOptions> options,
    ILogger<ApiKeyGate> logger)
{
    private readonly byte[]? _bootstrapHash = options.Value.BootstrapAdminKey is { Length: > 0 } raw
        ? SHA256.HashData(Encoding.UTF8.GetBytes(raw)) : null;

    public async Task InvokeAsync(HttpContext http)
    {
        var (method, access) = Describe(http.GetEndpoint());
        if (access is null || access.IsPublic)
        {
            await next(http);
            return;
        }

        StreamSlots.StreamSlot? stream = null;
        try
        {
            var caller = await AuthenticateAsync(http);
            var budget = Budgets.Of(http.GetEndpoint()!, http.Request.Method);
            if (budget == Budget.Stream)
            {
                var open = await limits.OpenStreamAsync(http, caller);
                if (open is { Allowed: false })
                {
                    throw RateLimits.Refusal(open);
                }

                stream = open?.Slot;
            }
            else
            {
                var rate = await limits.TakeAsync(http, caller, budget);
                caller = caller with { Rate = rate };
                if (rate is { Allowed: false })
                {
                    throw RateLimits.Refusal(rate, budget);
                }
            }

            access.Demand(caller, method);
            http.Features.Set(caller);
        }
        catch (RpcException e)
        {
            await CloseAsync(stream);
            Refused(logger, method, e.GetErrorInfo()?.Reason ?? e.StatusCode.ToString());
            CountRefusal(http, method, e.StatusCode);
            await WriteAsync(http, e);
            return;
        }
        catch (Exception e) when (StateOutageInterceptor.IsOutage(e))
        {
            await CloseAsync(stream);
            CountRefusal(http, method, StatusCode.Unavailable);
            await WriteAsync(http, StateOutageInterceptor.Unavailable());
            return;
        }

        if (stream is null)
        {
            await next(http);
            return;
        }

        // The stream's slot is held for as long as the response is open.
        FacadeMetrics.OpenStreams.Inc();
        try
        {
            await next(http);
        }
        finally
        {
            FacadeMetrics.OpenStreams.Dec();
            await CloseAsync(stream);
        }
    }

    private static async Task CloseAsync(StreamSlots.StreamSlot? stream)
    {
        if (stream is not null)
        {
            await stream.DisposeAsync();
        }
    }

    private async Task<Caller> AuthenticateAsync(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (header.Length == 0 && http.GetEndpoint()?.Metadata.GetMetadata<WatchTokenRoute>() is not null
            && http.Request.Query[WatchTokens.Parameter].FirstOrDefault() is { Length: > 0 } token)
        {
            return await AuthenticateWatchAsync(http, token);
        }

        if (header.Length == 0)
        {
            throw Problems.Unauthenticated(ErrorReasons.ApiKeyMissing, "send an API key: 'Authorization: Bearer rf_…'");
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header[7..].Trim() is not { } raw
            || !raw.StartsWith(ApiKeyStore.RawPrefix, StringComparison.Ordinal) || raw.Length > 256)
        {
            throw Problems.Unauthenticated(ErrorReasons.ApiKeyInvalid, "the Authorization header must be 'Bearer rf_…'");
        }

        if (_bootstrapHash is not null && CryptographicOperations.FixedTimeEquals(_bootstrapHash, SHA256.HashData(Encoding.UTF8.GetBytes(raw))))
        {
            return new Caller(Caller.BootstrapKeyId, options.Value.BootstrapTenant, [ApiKey.Types.Scope.Admin], null);
        }

        var key = await keys.FindAsync(raw) ?? throw Problems.Unauthenticated(ErrorReasons.ApiKeyInvalid, "the API key is not valid");
        if (key.IsRevoked)
        {
            throw Problems.Unauthenticated(ErrorReasons.ApiKeyInvalid, "the API key was revoked");
        }

        return new Caller(key.Id, key.Tenant, key.Scopes, null) { Limits = KeyRateLimits.ToTenantLimits(key.RateLimits) };
    }

    // A watch token acts for its tenant with RENDER scope on the SSE route only, and no longer than
    // the key that minted it lives: a revoked key's tokens are refused.
    private async Task<Caller> AuthenticateWatchAsync(HttpContext http, string token)
    {
        var grant = watchTokens.Verify(token);
        TenantLimits? own = null;
        if (grant.KeyId != Caller.BootstrapKeyId)
        {
            var key = await store.GetAsync(grant.KeyId);
            if (key is null || key.IsRevoked || key.Tenant != grant.Tenant)
            {
                throw Problems.Unauthenticated(ErrorReasons.WatchTokenInvalid, "the key that minted this watch token was revoked");
            }

            own = KeyRateLimits.ToTenantLimits(key.RateLimits);
        }

        http.Features.Set(grant);
        return new Caller(grant.KeyId, grant.Tenant, [ApiKey.Types.Scope.Render], null) { Limits = own };
    }

    /// <summary>The method name and access of an endpoint; null access for routes outside the API.</summary>
    private static (string Method, Access? Access) Describe(Endpoint? endpoint)
    {
        if (endpoint is null)
        {
            return ("", null);
        }

        if (endpoint.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is { } transcoded)
        {
            var name = $"/{transcoded.MethodDescriptor.Service.FullName}/{transcoded.MethodDescriptor.Name}";
            return (name, AccessTable.For(name));
        }

        if (endpoint.Metadata.GetMetadata<GrpcMethodMetadata>() is { } grpc)
        {
            return (grpc.Method.FullName, AccessTable.For(grpc.Method.FullName));
        }

        return (endpoint.DisplayName ?? "", endpoint.Metadata.GetMetadata<Access>());
    }

    // A call refused here never reaches the gRPC pipeline, so its status is counted here.
    private static void CountRefusal(HttpContext http, string method, StatusCode code)
    {
        var endpoint = http.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is not null || endpoint?.Metadata.GetMetadata<GrpcMethodMetadata>() is not null)
        {
            GrpcCallMetrics.Count("facade", method, code);
        }
    }

    /// <summary>Writes a refusal: a trailers-only gRPC response to gRPC callers, the status JSON to everyone else.</summary>
    private static Task WriteAsync(HttpContext http, RpcException e)
    {
        var response = http.Response;
        var endpoint = http.GetEndpoint();
        var nativeGrpc = endpoint?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is null
            && endpoint?.Metadata.GetMetadata<GrpcMethodMetadata>() is not null;
        if (nativeGrpc)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/grpc";
            response.Headers["grpc-status"] = ((int)e.StatusCode).ToString(CultureInfo.InvariantCulture);
            response.Headers["grpc-message"] = PercentEncode(e.Status.Detail);
            response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(e.ToStatus().ToByteArray()).TrimEnd('=');
            return Task.CompletedTask;
        }

        response.StatusCode = HttpStatus.FromGrpc(e.StatusCode);
        if (e.StatusCode == StatusCode.Unauthenticated)
        {
            response.Headers.WWWAuthenticate = "Bearer";
        }

        response.ContentType = "application/json";
        return response.WriteAsync(e.ToJson(), http.RequestAborted);
    }

    // grpc-message is percent-encoded UTF-8 (gRPC over HTTP/2 spec).
    private static string PercentEncode(string message)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
            }
        }

        return sb.ToString();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Method}: {Reason}")]
    private static partial void Refused(ILogger logger, string method, string reason);
}
