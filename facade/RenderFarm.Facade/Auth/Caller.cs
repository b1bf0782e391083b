using RenderFarm.Contracts.V1;
using RenderFarm.State;

namespace RenderFarm.Facade.Auth;

/// <summary>Who a request acts for: the authenticated key, its tenant and scopes, and its rate-limit standing.</summary>
/// <param name="KeyId">Key id (<see cref="BootstrapKeyId"/> for the configured bootstrap key).</param>
/// <param name="Tenant">The only tenant whose data the request sees.</param>
/// <param name="Scopes">Granted scopes.</param>
/// <param name="Rate">The request's rate-limit decision, when limits apply.</param>
internal sealed record Caller(string KeyId, string Tenant, IReadOnlyList<ApiKey.Types.Scope> Scopes, RateDecision? Rate)
{
    public const string BootstrapKeyId = "bootstrap";

    /// <summary>Whether the key has a record (and so a spend to account).</summary>
    public bool IsStored => KeyId != BootstrapKeyId;

    /// <summary>The key's own rate limits, over its tenant's (null: the tenant's apply).</summary>
    public TenantLimits? Limits { get; init; }

    public bool Has(ApiKey.Types.Scope scope) => Scopes.Contains(ApiKey.Types.Scope.Admin) || Scopes.Contains(scope);
}
