using Grpc.Core;
using RenderFarm.Facade.Auth;

namespace RenderFarm.Facade.Auth;

/// <summary>Who a call acts for: the tenant of the API key <see cref="ApiKeyGate"/> authenticated.</summary>
internal static class Tenancy
{
    public static string Resolve(ServerCallContext context) => Resolve(context.GetHttpContext());

    public static string Resolve(HttpContext context) => Caller(context).Tenant;

    public static Caller Caller(ServerCallContext context) => Caller(context.GetHttpContext());

    public static Caller Caller(HttpContext context) =>
        context.Features.Get<Caller>() ?? throw new InvalidOperationException($"{context.Request.Path} ran without an authenticated caller; give its endpoint an Access");
}
