using RenderFarm.Facade.Api;
using RenderFarm.Facade.RateLimiting;
using RenderFarm.Facade.Usage;
using RenderFarm.State;

namespace RenderFarm.Facade.Auth;

/// <summary>Registration of API keys, rate limits, quotas and page tokens.</summary>
internal static class AuthServiceCollectionExtensions
{
    public static IServiceCollection AddApiKeys(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section)
            .Validate(o => o.BootstrapAdminKey.Length == 0 || (o.BootstrapAdminKey.StartsWith(ApiKeyStore.RawPrefix, StringComparison.Ordinal) && o.BootstrapAdminKey.Length >= 32),
                $"{AuthOptions.Section}:BootstrapAdminKey must be 'rf_' followed by at least 29 characters")
            .ValidateOnStart();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<RequestBuckets>();
        services.AddSingleton<UsageStore>();
        services.AddSingleton<RateLimits>();
        services.AddSingleton<Quotas>();
        services.AddSingleton<PageTokens>();
        return services;
    }
}
