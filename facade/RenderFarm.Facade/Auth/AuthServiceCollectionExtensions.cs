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
            .ValidateOnStart();
        services.AddSingleton<ApiKeyStore>();
        return services;
    }
}
