namespace RenderFarm.TextToSpeech;

/// <summary>Speech could not be synthesised; <see cref="Code"/> is a stable reason (SPEECH_FAILED).</summary>
public sealed class SpeechException(string code, string message, bool retryable = false) : Exception(message)
{
    /// <summary>Stable reason, e.g. SPEECH_FAILED.</summary>
    public string Code { get; } = code;

    /// <summary>Whether another attempt could succeed (a timeout may; an unknown voice never).</summary>
    public bool Retryable { get; } = retryable;
}
