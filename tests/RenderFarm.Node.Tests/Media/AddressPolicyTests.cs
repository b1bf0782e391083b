using System.Net;
using RenderFarm.Egress;

namespace RenderFarm.Node.Tests.Media;

public sealed class AddressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.127.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("239.1.1.1")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("fc00::1")]
    [InlineData("fe80::1%2")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("2002:7f00:1::")]
    public void InternalAddresses_AreForbidden(string address) =>
        Assert.True(AddressPolicy.IsForbidden(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void PublicAddresses_AreAllowed(string address) =>
        Assert.False(AddressPolicy.IsForbidden(IPAddress.Parse(address)));

    [Theory]
    [InlineData("media.internal", "media.internal", "10.0.0.5", 443, true)]
    [InlineData("minio:9000", "minio", "10.0.0.5", 9000, true)]
    [InlineData("minio:9000", "minio", "10.0.0.5", 9001, false)]
    [InlineData("10.0.0.0/8", "x", "10.9.9.9", 80, true)]
    [InlineData("10.0.0.0/8:9000", "x", "10.9.9.9", 9000, true)]
    [InlineData("10.0.0.0/8:9000", "x", "10.9.9.9", 80, false)]
    [InlineData("127.0.0.1", "x", "::ffff:127.0.0.1", 80, true)]
    [InlineData("::1", "x", "::1", 80, true)]
    [InlineData("[::1]:8080", "x", "::1", 8080, true)]
    [InlineData("[::1]:8080", "x", "::1", 80, false)]
    [InlineData("fd00::/8", "x", "fd12::1", 80, true)]
    public void AllowListEntries_Match(string entry, string host, string address, int port, bool expected)
    {
        Assert.True(AllowListEntry.TryParse(entry, out var parsed));
        Assert.Equal(expected, parsed.MatchesHost(host, port) || parsed.MatchesAddress(IPAddress.Parse(address), port));
    }

    [Theory]
    [InlineData("")]
    [InlineData("10.0.0.0/33")]
    [InlineData("host:0")]
    [InlineData("host:99999")]
    [InlineData("http://host")]
    [InlineData("[::1")]
    public void MalformedAllowListEntries_AreRejected(string entry) =>
        Assert.False(AllowListEntry.TryParse(entry, out _));
}
