using Grpc.Core;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Facade.Paging;
using RenderFarm.State;

namespace RenderFarm.Facade.Auth;

/// <summary>KeyService (ADMIN scope): create, list, update and revoke API keys.</summary>
internal sealed partial class KeyApi(ApiKeyStore keys, ApiKeyCache cache, PageTokens pageTokens, ILogger<KeyApi> logger) : KeyService.KeyServiceBase
{
    public override async Task<CreateApiKeyResponse> CreateApiKey(CreateApiKeyRequest request, ServerCallContext context)
    {
        var violations = new List<Problems.Violation>();
        if (!IsTenant(request.Tenant))
        {
            violations.Add(new("tenant", request.Tenant.Length == 0 ? ErrorReasons.FieldRequired : ErrorReasons.OutOfRange,
                "must be 1..64 letters, digits, '-' or '_'"));
        }

        if (request.Scopes.Count == 0)
        {
            violations.Add(new("scopes", ErrorReasons.FieldRequired, "grant at least one of PLAN, RENDER, ADMIN"));
        }

        for (var i = 0; i < request.Scopes.Count; i++)
        {
            if (request.Scopes[i] == ApiKey.Types.Scope.Unspecified || !System.Enum.IsDefined(request.Scopes[i]))
            {
                violations.Add(new($"scopes[{i}]", ErrorReasons.InvalidEnum, "must be PLAN, RENDER or ADMIN"));
            }
        }

        CheckDisplayName(request.DisplayName, "displayName", violations);
        CheckSpendLimit(request.SpendLimitSeconds, "spendLimitSeconds", violations);
        CheckRateLimits(request.RateLimits, "rateLimits", violations);
        if (violations.Count > 0)
        {
            throw Problems.InvalidArgument(violations);
        }

        var (key, raw) = await keys.CreateAsync(request.Tenant, request.Scopes, request.DisplayName, request.SpendLimitSeconds, request.RateLimits);
        Created(logger, key.Id, key.Tenant, string.Join(',', key.Scopes), Tenancy.Caller(context).KeyId);
        return new CreateApiKeyResponse { ApiKey = key.ToApiKey(), Key = raw };
    }

    public override async Task<ListApiKeysResponse> ListApiKeys(ListApiKeysRequest request, ServerCallContext context)
    {
        var size = PageTokens.PageSize(request.PageSize);
        var tenant = Tenancy.Resolve(context);
        var filter = $"apiKeys?tenant={request.Tenant}";
        var cursor = pageTokens.Decode(request.PageToken, tenant, filter);
        var (items, next) = await keys.ListAsync(size, cursor, request.Tenant);
        var response = new ListApiKeysResponse { NextPageToken = next is null ? "" : pageTokens.Encode(next, tenant, filter) };
        response.ApiKeys.Add(items.Select(k => k.ToApiKey()));
        return response;
    }

    public override async Task<ApiKey> UpdateApiKey(UpdateApiKeyRequest request, ServerCallContext context)
    {
        var update = request.ApiKey ?? new ApiKey();
        var paths = KeyMask.Paths(request.UpdateMask, update);
        var violations = new List<Problems.Violation>();
        if (paths.Contains(KeyMask.DisplayName))
        {
            CheckDisplayName(update.DisplayName, "apiKey.displayName", violations);
        }

        if (paths.Contains(KeyMask.SpendLimitSeconds))
        {
            CheckSpendLimit(update.SpendLimitSeconds, "apiKey.spendLimitSeconds", violations);
        }

        var rateLimits = KeyMask.RateLimitChanges(paths, update);
        if (rateLimits.Count > 0)
        {
            CheckRateLimits(update.RateLimits, "apiKey.rateLimits", violations);
        }

        if (violations.Count > 0)
        {
            throw Problems.InvalidArgument(violations);
        }

        var key = await keys.UpdateAsync(request.Id,
                paths.Contains(KeyMask.DisplayName) ? update.DisplayName : null,
                paths.Contains(KeyMask.SpendLimitSeconds) ? update.SpendLimitSeconds : null,
                rateLimits)
            ?? throw Problems.NotFound(ErrorReasons.ApiKeyNotFound, "apiKeys", request.Id);
        cache.Forget(key.Id); // this facade at once; the others when the store's notification arrives
        Updated(logger, key.Id, key.Tenant, string.Join(',', paths), Tenancy.Caller(context).KeyId);
        return key.ToApiKey();
    }

    public override async Task<ApiKey> RevokeApiKey(RevokeApiKeyRequest request, ServerCallContext context)
    {
        var key = await keys.RevokeAsync(request.Id) ?? throw Problems.NotFound(ErrorReasons.ApiKeyNotFound, "apiKeys", request.Id);
        cache.Forget(key.Id); // this facade at once; the others when the store's notification arrives
        Revoked(logger, key.Id, key.Tenant, Tenancy.Caller(context).KeyId);
        return key.ToApiKey();
    }

    private static void CheckDisplayName(string displayName, string field, List<Problems.Violation> violations)
    {
        if (displayName.Length > 256)
        {
            violations.Add(new(field, ErrorReasons.OutOfRange, "must be at most 256 characters"));
        }
    }

    private static void CheckSpendLimit(double seconds, string field, List<Problems.Violation> violations)
    {
        if (seconds < 0 || !double.IsFinite(seconds))
        {
            violations.Add(new(field, ErrorReasons.OutOfRange, "must be 0 (no cap) or more seconds per calendar month"));
        }
    }

    // A rate or stream cap is 0 (unlimited) or more; a burst is at least 1 (a bucket of 0 refuses everything).
    private static void CheckRateLimits(ApiKey.Types.RateLimits? limits, string field, List<Problems.Violation> violations)
    {
        foreach (var f in KeyRateLimits.Fields)
        {
            if (limits is null || !f.Accessor.HasValue(limits))
            {
                continue;
            }

            var value = (int)f.Accessor.GetValue(limits);
            var least = f.Name.EndsWith("burst", StringComparison.Ordinal) ? 1 : 0;
            if (value < least || value > MaxRateLimit)
            {
                violations.Add(new($"{field}.{f.JsonName}", ErrorReasons.OutOfRange,
                    least == 1 ? $"must be 1..{MaxRateLimit}" : $"must be 0 (unlimited) or 1..{MaxRateLimit}; leave it unset for the tenant's"));
            }
        }
    }

    private const int MaxRateLimit = 1_000_000;

    private static bool IsTenant(string tenant) =>
        tenant.Length is > 0 and <= 64 && tenant.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    [LoggerMessage(Level = LogLevel.Information, Message = "Created API key {KeyId} for tenant {Tenant} ({Scopes}) by key {By}")]
    private static partial void Created(ILogger logger, string keyId, string tenant, string scopes, string by);

    [LoggerMessage(Level = LogLevel.Information, Message = "Updated API key {KeyId} of tenant {Tenant} ({Fields}) by key {By}")]
    private static partial void Updated(ILogger logger, string keyId, string tenant, string fields, string by);

    [LoggerMessage(Level = LogLevel.Information, Message = "Revoked API key {KeyId} of tenant {Tenant} by key {By}")]
    private static partial void Revoked(ILogger logger, string keyId, string tenant, string by);
}
