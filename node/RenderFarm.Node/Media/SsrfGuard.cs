using System.Net;
using System.Net.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Egress;

namespace RenderFarm.Node.Media;

/// <summary>
/// The media fetcher's <see cref="DestinationGuard"/>: vets destinations at connect time, exempting
/// <see cref="MediaOptions.AllowedHosts"/>, so neither DNS rebinding nor a redirect to an internal
/// address gets through.
/// </summary>
internal sealed partial class SsrfGuard(IOptions<MediaOptions> options, ILogger<SsrfGuard> logger)
{
    private readonly DestinationGuard _guard = Create(options.Value.AllowedHosts);

    /// <summary>Refuses anything but absolute http(s) URLs.</summary>
    public static Uri ParseUrl(string src)
    {
        if (!Uri.TryCreate(src, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new MediaException(ErrorReasons.MediaUrlRefused, "Only absolute http and https media URLs are accepted.");
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new MediaException(ErrorReasons.MediaUrlRefused, "Media URLs may not carry credentials.");
        }
        return uri;
    }

    /// <summary>The addresses of <paramref name="host"/> that may be connected to; throws when there are none.</summary>
    public async Task<IPAddress[]> VetAsync(string host, int port, CancellationToken cancellationToken)
    {
        try
        {
            return await _guard.VetAsync(host, port, cancellationToken);
        }
        catch (DestinationRefusedException ex)
        {
            Refused(logger, host, port, string.Join(", ", ex.Addresses.Select(a => a.ToString())));
            throw new SsrfRefusedException($"Destination {host}:{port} resolves only to addresses media may not be fetched from.");
        }
    }

    /// <summary>The ConnectCallback of the media handler.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await _guard.ConnectAsync(context, cancellationToken);
        }
        catch (DestinationRefusedException ex)
        {
            var endpoint = context.DnsEndPoint;
            Refused(logger, endpoint.Host, endpoint.Port, string.Join(", ", ex.Addresses.Select(a => a.ToString())));
            throw new SsrfRefusedException($"Destination {endpoint.Host}:{endpoint.Port} resolves only to addresses media may not be fetched from.");
        }
    }

    private static DestinationGuard Create(IEnumerable<string> allowed)
    {
        try
        {
            return new DestinationGuard(allowed);
        }
        catch (ArgumentException ex)
        {
            throw new OptionsValidationException(MediaOptions.Section, typeof(MediaOptions), [ex.Message]);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused media destination {Host}:{Port} (resolved to {Addresses})")]
    private static partial void Refused(ILogger logger, string host, int port, string addresses);
}

/// <summary>Thrown inside the connect callback; surfaces as MEDIA_URL_REFUSED.</summary>
internal sealed class SsrfRefusedException(string message) : Exception(message);
