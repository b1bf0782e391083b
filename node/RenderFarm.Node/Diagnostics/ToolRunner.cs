using System.ComponentModel;
using System.Diagnostics;

namespace RenderFarm.Node.Diagnostics;

/// <summary>Runs a tool without a shell, with a timeout that kills it.</summary>
internal static class ToolRunner
{
    /// <summary>The tool's result; null when it could not start (not installed).</summary>
    public static async Task<ToolResult?> RunAsync(
        string file, IEnumerable<string> arguments, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception)
        {
            return null;
        }
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            return new ToolResult(-1, await stdout, await stderr, TimedOut: true);
        }
        return new ToolResult(process.ExitCode, await stdout, await stderr, TimedOut: false);
    }
}

/// <summary>Exit code and output of one tool run.</summary>
internal sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;
}
