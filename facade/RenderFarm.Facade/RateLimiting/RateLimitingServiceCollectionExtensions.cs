using RenderFarm.State;

namespace RenderFarm.Facade.RateLimiting;

/// <summary>Registration of the per-key request rate limits.</summary>
internal static class RateLimitingServiceCollectionExtensions
{
    public static IServiceCollection AddRateLimits(this IServiceCollection services)
    {
        services.AddSingleton<RequestBuckets>();
        services.AddSingleton<RateLimits>();
        return services;
    }
}
