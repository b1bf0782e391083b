using RenderFarm.TextToSpeech;

namespace RenderFarm.Facade.Plans;

/// <summary>Registers the plan service's parts.</summary>
internal static class PlanServiceCollectionExtensions
{
    public static IServiceCollection AddPlans(this IServiceCollection services)
    {
        services.AddOptions<PlanOptions>().BindConfiguration(PlanOptions.Section)
            .Validate(o => o.Ttl > TimeSpan.Zero && o.ExpiredRetention >= TimeSpan.Zero && o.DefaultSecondsPerUnit > 0,
                $"{PlanOptions.Section}: Ttl must be positive, ExpiredRetention not negative, DefaultSecondsPerUnit positive")
            .ValidateOnStart();
        services.AddSingleton(_ => new SpeechSynthesizer(NarrationTiming.Timeout));
        services.AddSingleton<NarrationTiming>();
        services.AddSingleton<PlanBuilder>();
        services.AddSingleton<PlanViews>();
        services.AddSingleton<PlanCreator>();
        return services;
    }
}
