using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.Node.Rendering.Speech;

/// <summary>Speaks a speech segment into a WAV file with libespeak-ng and reports when each word is heard.</summary>
internal sealed class SpeechSynthesizer(IOptions<RenderOptions> options)
{
    private const int DefaultRate = 175;

    /// <returns>The audio's length in seconds and its words, timed from the start of the file.</returns>
    public async Task<(double Duration, List<SpokenWord> Words)> SynthesizeAsync(Contracts.V1.Speech speech, string wavPath, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.SpeechTimeout);
        Espeak.Session session;
        try
        {
            session = await Espeak.SynthesizeAsync(speech.Text, string.IsNullOrEmpty(speech.Voice) ? "en" : speech.Voice,
                speech.Rate > 0 ? speech.Rate : DefaultRate, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RenderException(ErrorReasons.SpeechFailed, "espeak-ng timed out.", retryable: true);
        }
        if (session.Samples.Count == 0)
        {
            throw new RenderException(ErrorReasons.SpeechFailed, "espeak-ng produced no audio.");
        }
        await WaveFile.WriteAsync(wavPath, session.Samples, session.SampleRate, cancellationToken).ConfigureAwait(false);
        var words = WordTimings.From(speech.Text, session.Words, session.Samples, session.SampleRate);
        return ((double)session.Samples.Count / session.SampleRate, words);
    }
}
