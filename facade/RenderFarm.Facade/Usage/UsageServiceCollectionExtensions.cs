using RenderFarm.State;

namespace RenderFarm.Facade.Usage;

/// <summary>Registration of usage accounting and the quotas checked before work is queued.</summary>
internal static class UsageServiceCollectionExtensions
{
    public static IServiceCollection AddUsage(this IServiceCollection services)
    {
        services.AddSingleton<UsageStore>();
        services.AddSingleton<Quotas>();
        return services;
    }
}
