using RenderFarm.State;

namespace RenderFarm.Facade.Templates;

/// <summary>Registers the template service's parts.</summary>
internal static class TemplateServiceCollectionExtensions
{
    public static IServiceCollection AddTemplates(this IServiceCollection services)
    {
        services.AddOptions<TemplateOptions>().BindConfiguration(TemplateOptions.Section)
            .Validate(o => o.MaxPerTenant >= 0 && o.MaxBytes > 0, $"{TemplateOptions.Section}: MaxPerTenant must not be negative, MaxBytes must be positive")
            .ValidateOnStart();
        services.AddSingleton<TemplateStore>();
        return services;
    }
}
