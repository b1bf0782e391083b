using System.Net;
using System.Net.Sockets;

namespace RenderFarm.Egress;

/// <summary>
/// Addresses an outbound request (media fetch, webhook) may never reach unless allow-listed: loopback, private, link-local,
/// cloud metadata, CGNAT, unspecified, multicast, broadcast and reserved ranges, also when they
/// hide inside IPv6 (IPv4-mapped, IPv4-compatible, NAT64, 6to4).
/// </summary>
public static class AddressPolicy
{
    private static readonly IPNetwork[] ForbiddenV4 =
    [
        IPNetwork.Parse("0.0.0.0/8"),       // "this" network, unspecified
        IPNetwork.Parse("10.0.0.0/8"),      // private
        IPNetwork.Parse("100.64.0.0/10"),   // CGNAT
        IPNetwork.Parse("127.0.0.0/8"),     // loopback
        IPNetwork.Parse("169.254.0.0/16"),  // link-local, including 169.254.169.254 metadata
        IPNetwork.Parse("172.16.0.0/12"),   // private
        IPNetwork.Parse("192.0.0.0/24"),    // IETF protocol assignments
        IPNetwork.Parse("192.168.0.0/16"),  // private
        IPNetwork.Parse("198.18.0.0/15"),   // benchmarking
        IPNetwork.Parse("224.0.0.0/4"),     // multicast
        IPNetwork.Parse("240.0.0.0/4"),     // reserved, including 255.255.255.255 broadcast
    ];

    private static readonly IPNetwork[] ForbiddenV6 =
    [
        IPNetwork.Parse("::/128"),          // unspecified
        IPNetwork.Parse("::1/128"),         // loopback
        IPNetwork.Parse("fc00::/7"),        // unique local, including fd00:ec2::254 metadata
        IPNetwork.Parse("fe80::/10"),       // link-local
        IPNetwork.Parse("fec0::/10"),       // deprecated site-local
        IPNetwork.Parse("ff00::/8"),        // multicast
        IPNetwork.Parse("100::/64"),        // discard-only
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork V4Compatible = IPNetwork.Parse("::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>Whether the guard refuses <paramref name="address"/>.</summary>
    public static bool IsForbidden(IPAddress address)
    {
        address = Normalize(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return ForbiddenV4.Any(n => n.Contains(address));
        }
        if (ForbiddenV6.Any(n => n.Contains(address)))
        {
            return true;
        }
        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address) || V4Compatible.Contains(address))
        {
            return IsForbidden(new IPAddress(bytes.AsSpan(12, 4)));
        }
        if (SixToFour.Contains(address))
        {
            return IsForbidden(new IPAddress(bytes.AsSpan(2, 4)));
        }
        return false;
    }

    /// <summary>IPv4-mapped IPv6 addresses become IPv4, and scope ids are dropped, so one rule covers every spelling.</summary>
    public static IPAddress Normalize(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }
        return address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0
            ? new IPAddress(address.GetAddressBytes())
            : address;
    }
}
