using RenderFarm.State;

namespace RenderFarm.Facade.RateLimiting;

/// <summary>Registration of the per-key read, write and stream limits.</summary>
internal static class RateLimitingServiceCollectionExtensions
{
    public static IServiceCollection AddRateLimits(this IServiceCollection services)
    {
        services.AddSingleton<RequestBuckets>();
        services.AddSingleton<HeldTokens>();
        services.AddSingleton<StreamSlots>();
        services.AddSingleton<RateLimits>();
        services.AddHostedService<StreamLeaseRenewer>();
        return services;
    }
}
