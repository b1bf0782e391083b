namespace RenderFarm.TextToSpeech;

/// <summary>A word and when it is heard, in seconds (from the start of its speech, or on the output timeline).</summary>
/// <param name="Text">The word as written.</param>
/// <param name="Start">When it begins.</param>
/// <param name="End">When its sound ends.</param>
public sealed record SpokenWord(string Text, double Start, double End);
