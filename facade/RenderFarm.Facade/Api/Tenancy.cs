using Grpc.Core;

namespace RenderFarm.Facade.Api;

/// <summary>Who a call acts for. Until API keys exist every caller is the one default tenant.</summary>
internal static class Tenancy
{
    public const string DefaultTenant = "default";

    public static string Resolve(ServerCallContext context) => Resolve(context.GetHttpContext());

    public static string Resolve(HttpContext context) => DefaultTenant;

    /// <summary>
    /// Refuses callers without the admin scope (PERMISSION_DENIED). Until API keys exist every
    /// caller is the operator, so this admits all; the auth work puts the scope check here.
    /// </summary>
    public static void RequireAdmin(ServerCallContext context)
    {
        _ = context;
    }
}
