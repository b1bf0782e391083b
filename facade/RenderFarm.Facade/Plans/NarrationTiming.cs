using RenderFarm.CanvasModel;
using RenderFarm.Contracts.V1;
using RenderFarm.TextToSpeech;

namespace RenderFarm.Facade.Plans;

/// <summary>
/// Synthesises a canvas's narrations for its plan, so the plan gives each narrated scene its exact
/// length. espeak-ng is fast (a sentence takes milliseconds) and needs no media fetch, so the
/// facade does it itself rather than asking a node; the utterances stay in the process-wide cache
/// the embedded farm's nodes render from.
/// </summary>
internal sealed partial class NarrationTiming(SpeechSynthesizer synthesizer, ILogger<NarrationTiming> logger)
{
    /// <summary>How long one synthesis may take while a plan waits.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Segment index → seconds of its narration, for a validated canvas. A narration that cannot be
    /// synthesised here (espeak-ng missing, an unknown voice) is left out: the plan estimates it
    /// and warns MEDIA_DURATION_UNKNOWN, and the node reports the failure when it renders.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, double>> LengthsAsync(Canvas canvas, CancellationToken ct)
    {
        var lengths = new Dictionary<int, double>();
        foreach (var i in Narrations.Narrated(canvas))
        {
            try
            {
                lengths[i] = (await synthesizer.SpeakAsync(canvas.Segments[i].Narration, ct)).Duration;
            }
            catch (SpeechException e)
            {
                NotSynthesised(logger, i, e.Message);
            }
        }
        return lengths;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Narration of canvas.segments[{Index}] not synthesised for its plan: {Reason}")]
    private static partial void NotSynthesised(ILogger logger, int index, string reason);
}
