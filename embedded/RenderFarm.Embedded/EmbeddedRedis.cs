using System.Net;
using System.Net.Sockets;
using Garnet;

namespace RenderFarm.Embedded;

/// <summary>
/// An in-process Garnet server reached over loopback through StackExchange.Redis, exactly like a
/// real Redis, so the embedded default runs the same scheduler code. With a data directory it
/// keeps an append-only file and recovers it on start, so queued work survives a restart.
/// </summary>
public sealed class EmbeddedRedis : IAsyncDisposable
{
    private readonly GarnetServer _server;

    private EmbeddedRedis(GarnetServer server, int port)
    {
        _server = server;
        Port = port;
    }

    /// <summary>Loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port},abortConnect=false";

    /// <summary>
    /// Starts Garnet on 127.0.0.1; durable under <paramref name="dataDirectory"/> when one is given.
    /// With port 0 it picks a free port, and picks again when another process takes that port
    /// between the pick and Garnet's bind (Garnet cannot be told to bind port 0 and report it).
    /// </summary>
    public static EmbeddedRedis Start(int port, string? dataDirectory, ILoggerFactory? loggerFactory = null)
    {
        const int attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            var chosen = port == 0 ? FreePort() : port;
            var server = new GarnetServer(Arguments(chosen, dataDirectory), loggerFactory);
            try
            {
                server.Start();
                return new EmbeddedRedis(server, chosen);
            }
            catch (SocketException e) when (port == 0 && attempt < attempts && e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                server.Dispose();
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }
    }

    private static string[] Arguments(int port, string? dataDirectory)
    {
        var args = new List<string> { "--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--lua", "true" };
        if (dataDirectory is not null)
        {
            var dir = Path.GetFullPath(Path.Combine(dataDirectory, "garnet"));
            Directory.CreateDirectory(dir);
            // RandomAccess avoids the native device, which needs a libaio this Debian lacks.
            args.AddRange(["--aof", "true", "--storage-tier", "true", "--device-type", "RandomAccess",
                "--logdir", dir, "--checkpointdir", dir, "--recover", "true"]);
        }

        return [.. args];
    }

    /// <summary>A port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _server.Store.CommitAOFAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or ObjectDisposedException)
        {
            // Without an AOF there is nothing to commit.
        }

        _server.Dispose();
    }
}
