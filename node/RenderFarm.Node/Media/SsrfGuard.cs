using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RenderFarm.Node.Media;

/// <summary>
/// Vets destinations at connect time: the handler's ConnectCallback resolves the host once and
/// connects only to an address that passed, so neither DNS rebinding nor a redirect to an
/// internal address gets through.
/// </summary>
internal sealed partial class SsrfGuard(IOptions<MediaOptions> options, ILogger<SsrfGuard> logger)
{
    private readonly AllowListEntry[] _allowed = options.Value.AllowedHosts
        .Select(e => AllowListEntry.TryParse(e, out var entry) ? entry : throw new OptionsValidationException(
            MediaOptions.Section, typeof(MediaOptions), [$"Invalid AllowedHosts entry '{e}'."]))
        .ToArray();

    /// <summary>Refuses anything but absolute http(s) URLs.</summary>
    public static Uri ParseUrl(string src)
    {
        if (!Uri.TryCreate(src, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new MediaException("MEDIA_URL_REFUSED", "Only absolute http and https media URLs are accepted.");
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new MediaException("MEDIA_URL_REFUSED", "Media URLs may not carry credentials.");
        }
        return uri;
    }

    /// <summary>The addresses of <paramref name="host"/> that may be connected to; throws when there are none.</summary>
    public async Task<IPAddress[]> VetAsync(string host, int port, CancellationToken cancellationToken)
    {
        var bare = host.TrimStart('[').TrimEnd(']');
        var addresses = IPAddress.TryParse(bare, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(bare, cancellationToken);
        if (_allowed.Any(e => e.MatchesHost(bare, port)))
        {
            return addresses;
        }
        var vetted = addresses
            .Where(a => !AddressPolicy.IsForbidden(a) || _allowed.Any(e => e.MatchesAddress(a, port)))
            .ToArray();
        if (vetted.Length == 0)
        {
            Refused(logger, host, port, string.Join(", ", addresses.Select(a => a.ToString())));
            throw new SsrfRefusedException($"Destination {host}:{port} resolves only to addresses media may not be fetched from.");
        }
        return vetted;
    }

    /// <summary>The ConnectCallback of the media handler.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var addresses = await VetAsync(endpoint.Host, endpoint.Port, cancellationToken);
        SocketException? last = null;
        foreach (var address in addresses.Select(AddressPolicy.Normalize))
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused media destination {Host}:{Port} (resolved to {Addresses})")]
    private static partial void Refused(ILogger logger, string host, int port, string addresses);
}

/// <summary>Thrown inside the connect callback; surfaces as MEDIA_URL_REFUSED.</summary>
internal sealed class SsrfRefusedException(string message) : Exception(message);
