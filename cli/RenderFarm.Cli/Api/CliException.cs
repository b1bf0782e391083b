namespace RenderFarm.Cli.Api;

/// <summary>A failure the CLI reports and exits on: a message for people and the exit code for scripts.</summary>
internal class CliException(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>Bad arguments or a malformed input file (exit 2).</summary>
internal sealed class UsageException(string message, Exception? inner = null) : CliException(ExitCodes.Usage, message, inner);
