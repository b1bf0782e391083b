using RenderFarm.Contracts;

namespace RenderFarm.TextToSpeech;

/// <summary>
/// Speaks a speech segment or narration with libespeak-ng and reports when each word is heard.
/// Utterances are kept in a process-wide cache by text, voice and rate: the plan's narration
/// lengths and the render that follows use the very same audio (the embedded farm runs both in
/// one process; espeak-ng is deterministic, so separate processes of one version agree too).
/// </summary>
public sealed class SpeechSynthesizer(TimeSpan timeout)
{
    private const int DefaultRate = 175;

    /// <returns>The audio's length in seconds and its words, timed from the start of the file.</returns>
    /// <exception cref="SpeechException">SPEECH_FAILED: espeak-ng is missing, the voice unknown, or synthesis failed or timed out.</exception>
    public async Task<(double Duration, List<SpokenWord> Words)> SynthesizeAsync(Contracts.V1.Speech speech, string wavPath, CancellationToken cancellationToken)
    {
        var utterance = await SpeakAsync(speech, cancellationToken).ConfigureAwait(false);
        await WaveFile.WriteAsync(wavPath, utterance.Samples, utterance.SampleRate, cancellationToken).ConfigureAwait(false);
        return (utterance.Duration, [.. utterance.Words]);
    }

    /// <summary>The utterance of <paramref name="speech"/>, synthesised or from the cache.</summary>
    /// <exception cref="SpeechException">SPEECH_FAILED: espeak-ng is missing, the voice unknown, or synthesis failed or timed out.</exception>
    public async Task<Utterance> SpeakAsync(Contracts.V1.Speech speech, CancellationToken cancellationToken)
    {
        var voice = string.IsNullOrEmpty(speech.Voice) ? "en" : speech.Voice;
        var rate = speech.Rate > 0 ? speech.Rate : DefaultRate;
        var key = (speech.Text, voice, rate);
        if (UtteranceCache.TryGet(key, out var cached))
        {
            return cached;
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        Espeak.Session session;
        try
        {
            session = await Espeak.SynthesizeAsync(speech.Text, voice, rate, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SpeechException(ErrorReasons.SpeechFailed, "espeak-ng timed out.", retryable: true);
        }
        if (session.Samples.Count == 0)
        {
            throw new SpeechException(ErrorReasons.SpeechFailed, "espeak-ng produced no audio.");
        }
        var utterance = new Utterance([.. session.Samples], session.SampleRate, WordTimings.From(speech.Text, session.Words, session.Samples, session.SampleRate));
        UtteranceCache.Add(key, utterance);
        return utterance;
    }
}

/// <summary>Synthesised speech: 16-bit mono samples and its words, timed from the first sample.</summary>
/// <param name="Samples">The audio.</param>
/// <param name="SampleRate">Samples per second.</param>
/// <param name="Words">When each word is heard.</param>
public sealed record Utterance(short[] Samples, int SampleRate, IReadOnlyList<SpokenWord> Words)
{
    /// <summary>Seconds of audio.</summary>
    public double Duration => (double)Samples.Length / SampleRate;
}

// Bounded by the samples it holds; when full it starts over (utterances are cheap to make again).
internal static class UtteranceCache
{
    private const long MaxSamples = 16L << 20;
    private static readonly Dictionary<(string, string, int), Utterance> Entries = [];
    private static readonly Lock Gate = new();
    private static long _samples;

    public static bool TryGet((string, string, int) key, out Utterance utterance)
    {
        lock (Gate)
        {
            return Entries.TryGetValue(key, out utterance!);
        }
    }

    public static void Add((string, string, int) key, Utterance utterance)
    {
        lock (Gate)
        {
            if (_samples + utterance.Samples.Length > MaxSamples)
            {
                Entries.Clear();
                _samples = 0;
            }
            if (Entries.TryAdd(key, utterance))
            {
                _samples += utterance.Samples.Length;
            }
        }
    }
}
