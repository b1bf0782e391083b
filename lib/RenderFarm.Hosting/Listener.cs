using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace RenderFarm.Hosting;

/// <summary>One port a component listens on: its bind address, port (0 picks a free one) and protocols.</summary>
public sealed record Listener(string BindAddress, int Port, HttpProtocols Protocols);
