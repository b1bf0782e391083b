using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;

namespace RenderFarm.Node.Media;

/// <summary>
/// Runs ffprobe on a local file with the protocol limited to <c>file</c> and the demuxers limited to
/// the allow-list, so a playlist (HLS, concat) posing as media is never opened and cannot pull in
/// other files.
/// </summary>
internal sealed partial class MediaProber(IOptions<MediaOptions> options, TimeProvider time, ILogger<MediaProber> logger)
{
    private readonly MediaOptions _options = options.Value;

    public async Task<LocalMedia> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_options.FfprobePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[
            "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
            "-protocol_whitelist", "file", "-format_whitelist", string.Join(',', ProbeResultParser.AllowedDemuxers),
            "-i", "file:" + path])
        {
            start.ArgumentList.Add(argument);
        }
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new MediaException(ErrorReasons.MediaProbeFailed, $"ffprobe could not start: {ex.Message}", retryable: true);
        }
        using var timeout = new CancellationTokenSource(_options.ProbeTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            ProbeTimedOut(logger, path, _options.ProbeTimeout);
            throw new MediaException(ErrorReasons.MediaUnsupported, $"Probing the media did not finish within {_options.ProbeTimeout}.");
        }
        var output = await stdout;
        var errors = (await stderr).Trim();
        if (process.ExitCode != 0)
        {
            ProbeRefused(logger, path, errors);
            throw new MediaException(ErrorReasons.MediaUnsupported,
                $"Not an accepted media file: {(errors.Length > 200 ? errors[..200] : errors)}".TrimEnd(' ', ':'));
        }
        try
        {
            return ProbeResultParser.Parse(output, path);
        }
        catch (System.Text.Json.JsonException)
        {
            throw new MediaException(ErrorReasons.MediaUnsupported, "ffprobe gave no readable description of the media.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ffprobe on {Path} timed out after {Timeout}; killed")]
    private static partial void ProbeTimedOut(ILogger logger, string path, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "ffprobe refused {Path}: {Errors}")]
    private static partial void ProbeRefused(ILogger logger, string path, string errors);
}
