using System.Diagnostics;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>A process a test started and may kill -9 (its children too); killed on dispose if still running.</summary>
internal abstract class ChildProcess(Process process) : IDisposable
{
    protected Process Process { get; } = process;

    /// <summary>SIGKILL to the process tree, as when a machine dies: nothing closes gracefully.</summary>
    public void Kill()
    {
        Process.Kill(entireProcessTree: true);
        Process.WaitForExit();
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Kill();
        }

        Process.Dispose();
    }

    /// <summary>Starts the process with its output drained (a full pipe would block it).</summary>
    protected static Process Launch(ProcessStartInfo start)
    {
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
