using System.Diagnostics;
using System.Text.Json.Nodes;
using RenderFarm.Testing;

namespace RenderFarm.Cli.Tests;

/// <summary>What one run of the CLI did: its exit status, its output and how long it took.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    public JsonNode Json() => JsonNode.Parse(Stdout) ?? throw new InvalidOperationException("stdout held no JSON");

    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>Runs the renderfarm CLI as a user does: <c>dotnet RenderFarm.Cli.dll …</c> in its own process.</summary>
public static class CliProcess
{
    /// <summary>The CLI built beside these tests (same configuration).</summary>
    public static string Dll { get; } = FindDll();

    private static string FindDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/{Configuration}/net10.0/
        var dll = Path.Combine(Repo.Root, "cli", "RenderFarm.Cli", "bin", configuration, "net10.0", "RenderFarm.Cli.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("build cli/RenderFarm.Cli first", dll);
    }

    /// <summary>Runs the CLI against <paramref name="url"/> with <paramref name="apiKey"/> in the environment (RENDERFARM_URL, RENDERFARM_API_KEY).</summary>
    public static Task<CliResult> RunAsync(string url, string? apiKey, params string[] args) => StartAsync(url, apiKey, args).Completion;

    /// <summary>Starts the CLI; the caller may signal it or write to its stdin before awaiting it.</summary>
    public static Running StartAsync(string url, string? apiKey, string[] args, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["RENDERFARM_URL"] = url;
        start.Environment["RENDERFARM_API_KEY"] = apiKey ?? "";
        start.Environment["NO_COLOR"] = "1";
        var clock = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        return new Running(process, clock, timeout ?? TimeSpan.FromMinutes(3));
    }

    public sealed class Running
    {
        private readonly Process _process;

        internal Running(Process process, Stopwatch clock, TimeSpan timeout)
        {
            _process = process;
            Completion = WaitAsync(clock, timeout);
        }

        public int Pid => _process.Id;

        public StreamWriter Stdin => _process.StandardInput;

        public Task<CliResult> Completion { get; }

        private async Task<CliResult> WaitAsync(Stopwatch clock, TimeSpan timeout)
        {
            var stdout = _process.StandardOutput.ReadToEndAsync();
            var stderr = _process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                throw new TimeoutException($"the CLI did not exit in {timeout}: {await stderr}");
            }

            var result = new CliResult(_process.ExitCode, await stdout, await stderr, clock.Elapsed);
            _process.Dispose();
            return result;
        }
    }
}
