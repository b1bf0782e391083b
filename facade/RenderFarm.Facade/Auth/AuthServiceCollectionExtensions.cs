using RenderFarm.State;

namespace RenderFarm.Facade.Auth;

/// <summary>Registration of API-key authentication.</summary>
internal static class AuthServiceCollectionExtensions
{
    public static IServiceCollection AddApiKeys(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section)
            .Validate(o => o.BootstrapAdminKey.Length == 0 || (o.BootstrapAdminKey.StartsWith(ApiKeyStore.RawPrefix, StringComparison.Ordinal) && o.BootstrapAdminKey.Length >= 32),
                $"{AuthOptions.Section}:BootstrapAdminKey must be 'rf_' followed by at least 29 characters")
            .Validate(o => o.KeyCacheTtl >= TimeSpan.Zero && o.KeyCacheTtl <= TimeSpan.FromMinutes(10), $"{AuthOptions.Section}:KeyCacheTtl must be between 0 and 00:10:00")
            .Validate(o => o.WatchTokenTtl >= TimeSpan.FromSeconds(1) && o.WatchTokenTtl <= TimeSpan.FromHours(1), $"{AuthOptions.Section}:WatchTokenTtl must be between 00:00:01 and 01:00:00")
            .ValidateOnStart();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<WatchTokens>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyCache>());
        return services;
    }
}
