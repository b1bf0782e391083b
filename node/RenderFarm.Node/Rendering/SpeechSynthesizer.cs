using System.Diagnostics;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts.V1;

namespace RenderFarm.Node.Rendering;

/// <summary>Speaks a speech segment into a WAV file with espeak-ng (argument list, never a shell).</summary>
internal sealed class SpeechSynthesizer(IOptions<RenderOptions> options)
{
    private const int DefaultRate = 175;

    public async Task SynthesizeAsync(Speech speech, string wavPath, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(options.Value.EspeakPath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["-v", string.IsNullOrEmpty(speech.Voice) ? "en" : speech.Voice,
                     "-s", $"{(speech.Rate > 0 ? speech.Rate : DefaultRate)}", "-w", wavPath, "--", speech.Text])
        {
            start.ArgumentList.Add(arg);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.SpeechTimeout);
        using var process = Process.Start(start) ?? throw new RenderException("SPEECH_FAILED", "espeak-ng did not start.", retryable: true);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new RenderException("SPEECH_FAILED", "espeak-ng timed out.", retryable: true);
        }
        if (process.ExitCode != 0 || !File.Exists(wavPath))
        {
            throw new RenderException("SPEECH_FAILED", $"espeak-ng failed: {await stderr.ConfigureAwait(false)}");
        }
    }
}
