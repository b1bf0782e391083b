using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace RenderFarm.Node.Media;

/// <summary>Registration of the node's media pipeline.</summary>
public static class MediaServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="MediaOptions"/> (section <c>RenderFarm:Media</c>, validated at start), the
    /// SSRF-guarded HttpClient, the cache and ffprobe vetting, and <see cref="IMediaSource"/>.
    /// Uses <see cref="TimeProvider.System"/> unless a <see cref="TimeProvider"/> is already registered.
    /// </summary>
    public static IServiceCollection AddMedia(this IServiceCollection services)
    {
        services.AddOptions<MediaOptions>().BindConfiguration(MediaOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MediaOptions>, MediaOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SsrfGuard>();
        services.TryAddSingleton<MediaFetcher>();
        services.TryAddSingleton<MediaCache>();
        services.TryAddSingleton<MediaProber>();
        services.TryAddSingleton<IMediaSource, HttpMediaSource>();
        services.AddHttpClient(MediaFetcher.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            // The default loggers write full URLs, and media URLs may carry presigned credentials.
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var guard = sp.GetRequiredService<SsrfGuard>();
                return new SocketsHttpHandler
                {
                    // A proxy would make the connect callback vet the proxy instead of the destination.
                    UseProxy = false,
                    // MediaFetcher follows redirects itself, so each hop's scheme is checked too.
                    AllowAutoRedirect = false,
                    AutomaticDecompression = DecompressionMethods.None,
                    ConnectCallback = guard.ConnectAsync,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                };
            });
        return services;
    }
}
