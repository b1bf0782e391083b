using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RenderFarm.Node.Rendering.Text;
using RenderFarm.TextToSpeech;

namespace RenderFarm.Node.Rendering;

/// <summary>Registers the FFmpeg renderer.</summary>
public static class RenderingServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="RenderOptions"/> from <c>RenderFarm:Render</c> and registers <see cref="IRenderer"/>.
    /// An <see cref="Media.IMediaSource"/> must be registered as well.
    /// </summary>
    public static IServiceCollection AddRendering(this IServiceCollection services)
    {
        services.AddOptions<RenderOptions>()
            .BindConfiguration(RenderOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.MinRenderTime > TimeSpan.Zero && o.MaxRenderTime >= o.MinRenderTime, "MinRenderTime must be > 0 and <= MaxRenderTime.")
            .Validate(o => o.FontCheckTimeout > TimeSpan.Zero, "FontCheckTimeout must be > 0.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SpeechSynthesizer(sp.GetRequiredService<IOptions<RenderOptions>>().Value.SpeechTimeout));
        services.TryAddSingleton<FontResolver>();
        services.TryAddSingleton<FfmpegRunner>();
        services.TryAddSingleton<MediaGatherer>();
        services.TryAddSingleton<IRenderer, FfmpegRenderer>();
        return services;
    }
}
