using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RenderFarm.Node.Diagnostics;

/// <summary>Registration of the node's self-inspection.</summary>
public static class DiagnosticsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="NodeCapabilitiesOptions"/> (section <c>RenderFarm:Capabilities</c>) and the
    /// singleton <see cref="NodeCapabilitiesProbe"/>.
    /// </summary>
    public static IServiceCollection AddNodeCapabilities(this IServiceCollection services)
    {
        services.AddOptions<NodeCapabilitiesOptions>().BindConfiguration(NodeCapabilitiesOptions.Section)
            .Validate(o => o.ProbeTimeout > TimeSpan.Zero && !string.IsNullOrWhiteSpace(o.FfmpegPath),
                $"{NodeCapabilitiesOptions.Section}: ProbeTimeout must be positive and FfmpegPath set.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<NodeCapabilitiesProbe>();
        return services;
    }
}
