namespace RenderFarm.CanvasModel;

/// <summary>The bounds <see cref="CanvasValidator"/> enforces.</summary>
public static class CanvasLimits
{
    /// <summary>Smallest frame side in pixels.</summary>
    public const int MinSide = 64;
    /// <summary>Largest frame side in pixels.</summary>
    public const int MaxSide = 4096;
    /// <summary>Most segments in one canvas.</summary>
    public const int MaxSegments = 500;
    /// <summary>Longest video, seconds (3 h).</summary>
    public const double MaxTotalSeconds = 3 * 3600;
    /// <summary>Longest media reference.</summary>
    public const int MaxUrlLength = 2048;
    /// <summary>Longest overlay or speech text, characters.</summary>
    public const int MaxTextLength = 5000;
    /// <summary>Font size bounds, pixels.</summary>
    public const int MinFontSize = 4, MaxFontSize = 1000;
    /// <summary>Speech rate bounds, words per minute.</summary>
    public const int MinSpeechRate = 80, MaxSpeechRate = 450;
    /// <summary>Playback speed bounds.</summary>
    public const double MinSpeed = 0.25, MaxSpeed = 4;
    /// <summary>Most explicit caption words.</summary>
    public const int MaxCaptionWords = 20000;
    /// <summary>Widest caption outline, pixels.</summary>
    public const double MaxCaptionOutlineWidth = 20;
    /// <summary>Most fonts one canvas brings (canvas.fonts).</summary>
    public const int MaxFonts = 8;
    /// <summary>Longest family name of a canvas font.</summary>
    public const int MaxFontFamilyLength = 100;
    /// <summary>Longest fontFamily a text or captions segment names.</summary>
    public const int MaxFontFamilyReference = 200;
    /// <summary>Most words in a production's result.transcript (the TRANSCRIPT_JSON sidecar has them all).</summary>
    public const int MaxTranscriptWords = 20000;
    /// <summary>Most stills one output asks for (output.stillTimes).</summary>
    public const int MaxStills = 20;
    /// <summary>Frame rates accepted (0 means the default).</summary>
    public static readonly IReadOnlySet<int> FrameRates = new HashSet<int> { 0, 24, 25, 30, 60 };
}
