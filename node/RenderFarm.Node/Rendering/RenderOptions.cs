using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Node.Rendering;

/// <summary>How a node renders (configuration section <c>RenderFarm:Render</c>).</summary>
public sealed class RenderOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RenderFarm:Render";

    /// <summary>x264/x265 speed preset (ultrafast … veryslow).</summary>
    [RegularExpression("^(ultrafast|superfast|veryfast|faster|fast|medium|slow|slower|veryslow)$")]
    public string Preset { get; set; } = "veryfast";

    /// <summary>A render may take this many times the video's duration before it is stopped.</summary>
    [Range(0.1, 1000)]
    public double TimeoutFactor { get; set; } = 10;

    /// <summary>Smallest render time limit, whatever the video's duration.</summary>
    public TimeSpan MinRenderTime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest render time limit.</summary>
    public TimeSpan MaxRenderTime { get; set; } = TimeSpan.FromHours(6);

    /// <summary>FFmpeg encoder threads; 0 lets FFmpeg choose.</summary>
    [Range(0, 256)]
    public int Threads { get; set; }

    /// <summary>Font for text overlays without a fontFamily, and for captions.</summary>
    [Required]
    public string FontFile { get; set; } = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    /// <summary>fontconfig's fc-match, which finds the file of a text overlay's fontFamily.</summary>
    [Required]
    public string FcMatchPath { get; set; } = "fc-match";

    /// <summary>Largest font file (canvas.fonts) a node fetches; FreeType reads a font whole.</summary>
    [Range(1024, 1L << 30)]
    public long MaxFontBytes { get; set; } = 32L << 20;

    /// <summary>Longest FreeType may take to open a canvas font before it is refused as FONT_INVALID.</summary>
    public TimeSpan FontCheckTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest a speech synthesis may take.</summary>
    public TimeSpan SpeechTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Audio bitrate of AAC/Opus output, bits per second.</summary>
    [Range(32_000, 512_000)]
    public int AudioBitrate { get; set; } = 128_000;

    /// <summary>The time limit of a render of <paramref name="videoSeconds"/>.</summary>
    public TimeSpan TimeoutFor(double videoSeconds)
    {
        var scaled = TimeSpan.FromSeconds(Math.Min(videoSeconds * TimeoutFactor, MaxRenderTime.TotalSeconds));
        return scaled < MinRenderTime ? MinRenderTime : scaled;
    }
}
