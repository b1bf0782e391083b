using Grpc.Core;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using Scope = RenderFarm.Contracts.V1.ApiKey.Types.Scope;

namespace RenderFarm.Facade.Auth;

/// <summary>
/// What a call needs: nothing (public), any valid key, or a key with one of some scopes (ADMIN
/// always qualifies). Routes outside gRPC (SSE) carry one as endpoint metadata.
/// </summary>
internal sealed record Access(bool IsPublic, IReadOnlyList<Scope> AnyOf)
{
    public static readonly Access Public = new(true, []);
    public static readonly Access AnyKey = new(false, []);

    public static Access Scope(params Scope[] anyOf) => new(false, anyOf);

    /// <summary>PERMISSION_DENIED (SCOPE_MISSING) unless <paramref name="caller"/> holds a scope this access asks for.</summary>
    public void Demand(Caller caller, string method)
    {
        if (AnyOf.Count > 0 && !AnyOf.Any(caller.Has))
        {
            var needed = AnyOf[0].ToString().ToUpperInvariant();
            throw Problems.Build(StatusCode.PermissionDenied, ErrorReasons.ScopeMissing,
                $"this key lacks the {string.Join(" or ", AnyOf.Select(s => s.ToString().ToUpperInvariant()))} scope that {method} needs",
                new Dictionary<string, string> { ["scope"] = needed, ["method"] = method });
        }
    }

    public override string ToString() => IsPublic ? "public" : AnyOf.Count == 0 ? "any key" : string.Join(" or ", AnyOf);
}

/// <summary>
/// The scope each RPC needs, by full method name (<c>/package.Service/Method</c>) or by service.
/// A method missing here needs ADMIN: new RPCs are closed until someone decides.
/// </summary>
internal static class AccessTable
{
    private static readonly Dictionary<string, Access> Methods = new(StringComparer.Ordinal)
    {
        ["/renderfarm.v1.PlanService/CreatePlan"] = Access.Scope(ApiKey.Types.Scope.Plan, ApiKey.Types.Scope.Render),
        ["/renderfarm.v1.PlanService/GetPlan"] = Access.Scope(ApiKey.Types.Scope.Plan, ApiKey.Types.Scope.Render),
        ["/renderfarm.v1.PlanService/RenderPlan"] = Access.Scope(ApiKey.Types.Scope.Render),
        ["/renderfarm.v1.TemplateService/GetTemplate"] = Access.Scope(ApiKey.Types.Scope.Plan, ApiKey.Types.Scope.Render),
        ["/renderfarm.v1.TemplateService/ListTemplates"] = Access.Scope(ApiKey.Types.Scope.Plan, ApiKey.Types.Scope.Render),
        ["/renderfarm.v1.TemplateService/PlanTemplate"] = Access.Scope(ApiKey.Types.Scope.Plan, ApiKey.Types.Scope.Render),
    };

    private static readonly Dictionary<string, Access> Services = new(StringComparer.Ordinal)
    {
        ["renderfarm.v1.ProductionService"] = Access.Scope(ApiKey.Types.Scope.Render),
        ["renderfarm.v1.AssetService"] = Access.Scope(ApiKey.Types.Scope.Plan, ApiKey.Types.Scope.Render),
        ["renderfarm.v1.UsageService"] = Access.AnyKey,
        ["renderfarm.v1.KeyService"] = Access.Scope(ApiKey.Types.Scope.Admin),
        ["renderfarm.v1.NodeService"] = Access.Scope(ApiKey.Types.Scope.Admin),
        ["renderfarm.v1.TemplateService"] = Access.Scope(ApiKey.Types.Scope.Render),
        ["grpc.health.v1.Health"] = Access.Public,
        ["grpc.reflection.v1.ServerReflection"] = Access.Public,
        ["grpc.reflection.v1alpha.ServerReflection"] = Access.Public,
    };

    /// <summary>The access <paramref name="fullMethod"/> (<c>/renderfarm.v1.ProductionService/GetProduction</c>) needs.</summary>
    public static Access For(string fullMethod)
    {
        if (Methods.TryGetValue(fullMethod, out var access))
        {
            return access;
        }

        var service = fullMethod.TrimStart('/').Split('/')[0];
        return Services.GetValueOrDefault(service, Access.Scope(ApiKey.Types.Scope.Admin));
    }
}
