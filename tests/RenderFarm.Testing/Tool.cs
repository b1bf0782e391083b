using System.Diagnostics;

namespace RenderFarm.Testing;

/// <summary>Runs a command-line tool (no shell) and returns its output, failing loudly.</summary>
public static class Tool
{
    public static async Task<byte[]> RunAsync(string file, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var errors = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} timed out");
        }

        await copy;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} exited {process.ExitCode}: {await errors}");
        }

        return output.ToArray();
    }
}
