using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace RenderFarm.Egress;

/// <summary>One allow-list entry (media or webhook AllowedHosts): a host name, an IP or a CIDR range, optionally with a port.</summary>
public sealed record AllowListEntry(string? Host, IPNetwork? Network, int? Port)
{
    public bool MatchesHost(string host, int port) =>
        Host is not null && string.Equals(Host, host.TrimEnd('.'), StringComparison.OrdinalIgnoreCase) && PortMatches(port);

    public bool MatchesAddress(IPAddress address, int port) =>
        Network is { } network && network.Contains(AddressPolicy.Normalize(address)) && PortMatches(port);

    private bool PortMatches(int port) => Port is null || Port == port;

    public static bool TryParse(string? text, [NotNullWhen(true)] out AllowListEntry? entry)
    {
        entry = null;
        var value = text?.Trim() ?? "";
        if (value.Length == 0)
        {
            return false;
        }
        int? port = null;
        if (value.StartsWith('['))
        {
            // [v6] or [v6]:port or [v6/len]:port
            var close = value.IndexOf(']');
            if (close < 0 || !TrySplitPort(value[(close + 1)..], allowEmpty: true, out port))
            {
                return false;
            }
            value = value[1..close];
        }
        else if (value.Count(c => c == ':') == 1 || (value.Contains('/') && value.LastIndexOf(':') > value.IndexOf('/')))
        {
            // host:port, v4:port, v4/len:port, v6/len:port
            var colon = value.LastIndexOf(':');
            if (!TrySplitPort(value[colon..], allowEmpty: false, out port))
            {
                return false;
            }
            value = value[..colon];
        }
        if (value.Contains('/'))
        {
            if (!IPNetwork.TryParse(value, out var network))
            {
                return false;
            }
            entry = new AllowListEntry(null, network, port);
            return true;
        }
        if (IPAddress.TryParse(value, out var address))
        {
            var normalized = AddressPolicy.Normalize(address);
            var bits = normalized.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
            entry = new AllowListEntry(null, new IPNetwork(normalized, bits), port);
            return true;
        }
        if (Uri.CheckHostName(value) != UriHostNameType.Dns)
        {
            return false;
        }
        entry = new AllowListEntry(value.TrimEnd('.'), null, port);
        return true;
    }

    private static bool TrySplitPort(string suffix, bool allowEmpty, out int? port)
    {
        port = null;
        if (suffix.Length == 0)
        {
            return allowEmpty;
        }
        if (suffix[0] != ':' || !int.TryParse(suffix.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            || value is < 1 or > 65535)
        {
            return false;
        }
        port = value;
        return true;
    }
}
