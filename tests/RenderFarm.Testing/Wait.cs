using System.Net.Sockets;

namespace RenderFarm.Testing;

/// <summary>Polls with a deadline instead of sleeping for a fixed time.</summary>
public static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:F0}s waiting for {what}");
            }

            await Task.Delay(50);
        }
    }

    public static async Task<T> ForAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what) where T : class
    {
        T? value = null;
        await UntilAsync(async () => (value = await probe()) is not null, timeout, what);
        return value!;
    }
}

/// <summary>Loopback port checks.</summary>
public static class Ports
{
    public static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
