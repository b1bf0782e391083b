using System.Net;
using System.Net.Sockets;

namespace RenderFarm.Egress;

/// <summary>
/// Vets destinations at connect time: <see cref="ConnectAsync"/> (a SocketsHttpHandler
/// ConnectCallback) resolves the host once and connects only to an address that passed, so neither
/// DNS rebinding nor a redirect to an internal address gets through.
/// </summary>
public sealed class DestinationGuard
{
    private readonly AllowListEntry[] _allowed;

    /// <summary>A guard exempting <paramref name="allowed"/>; throws <see cref="ArgumentException"/> on an invalid entry.</summary>
    public DestinationGuard(IEnumerable<string> allowed) =>
        _allowed = allowed
            .Select(e => AllowListEntry.TryParse(e, out var entry) ? entry : throw new ArgumentException($"Invalid AllowedHosts entry '{e}'.", nameof(allowed)))
            .ToArray();

    /// <summary>The addresses of <paramref name="host"/> that may be connected to; throws <see cref="DestinationRefusedException"/> when there are none.</summary>
    public async Task<IPAddress[]> VetAsync(string host, int port, CancellationToken cancellationToken)
    {
        var bare = host.TrimStart('[').TrimEnd(']');
        // A name that does not resolve throws SocketException: a failed fetch, not a refusal.
        var addresses = IPAddress.TryParse(bare, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(bare, cancellationToken);
        if (_allowed.Any(e => e.MatchesHost(bare, port)))
        {
            return addresses;
        }
        var vetted = addresses
            .Where(a => !AddressPolicy.IsForbidden(a) || _allowed.Any(e => e.MatchesAddress(a, port)))
            .ToArray();
        return vetted.Length > 0
            ? vetted
            : throw new DestinationRefusedException(
                $"Destination {host}:{port} resolves only to loopback, private, link-local or otherwise internal addresses.", addresses);
    }

    /// <summary>A ConnectCallback for SocketsHttpHandler that connects only to vetted addresses.</summary>
    public async ValueTask<Stream> ConnectAsync(System.Net.Http.SocketsHttpConnectionContext context, CancellationToken cancellationToken)
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

    /// <summary>The refusal inside <paramref name="ex"/> (an HttpRequestException wraps the callback's), or null.</summary>
    public static DestinationRefusedException? FindRefusal(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is DestinationRefusedException refusal)
            {
                return refusal;
            }
        }
        return null;
    }
}

/// <summary>A destination the guard refuses.</summary>
public sealed class DestinationRefusedException(string message, IReadOnlyList<IPAddress> addresses) : Exception(message)
{
    /// <summary>What the host resolved to.</summary>
    public IReadOnlyList<IPAddress> Addresses { get; } = addresses;
}
