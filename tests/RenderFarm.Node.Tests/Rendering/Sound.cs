using System.Diagnostics;

namespace RenderFarm.Node.Tests.Rendering;

/// <summary>The audio of a rendered file as 8 kHz mono samples, measured as a listener would notice.</summary>
internal sealed class Sound(short[] samples)
{
    public const int Rate = 8000;

    public static Sound Of(string path)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-v", "error", "-i", path, "-vn", "-ac", "1", "-ar", $"{Rate}", "-f", "s16le", "-"])
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        using var ms = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(ms);
        p.WaitForExit();
        var bytes = ms.ToArray();
        var samples = new short[bytes.Length / 2];
        Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 2);
        return new Sound(samples);
    }

    public double Seconds => samples.Length / (double)Rate;

    /// <summary>Root mean square of the samples in [from, to) seconds (0 for full-scale silence, 32767 for a full-scale square).</summary>
    public double Rms(double from, double to)
    {
        var window = Window(from, to);
        return window.Length == 0 ? 0 : Math.Sqrt(window.Average(s => (double)s * s));
    }

    /// <summary>Amplitude of <paramref name="hertz"/> in [from, to) (Goertzel), comparable between frequencies.</summary>
    public double Tone(double hertz, double from, double to)
    {
        var window = Window(from, to);
        var coefficient = 2 * Math.Cos(2 * Math.PI * hertz / Rate);
        double s1 = 0, s2 = 0;
        foreach (var x in window)
        {
            var s0 = x + (coefficient * s1) - s2;
            s2 = s1;
            s1 = s0;
        }
        return Math.Sqrt(Math.Max(0, (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2))) / Math.Max(1, window.Length);
    }

    /// <summary>Start of the first 5 ms window louder than <paramref name="rms"/>, in seconds; null if none.</summary>
    public double? Onset(double rms)
    {
        const int step = Rate / 200;
        for (var i = 0; i + step <= samples.Length; i += step)
        {
            if (Rms(i / (double)Rate, (i + step) / (double)Rate) > rms)
            {
                return i / (double)Rate;
            }
        }
        return null;
    }

    private short[] Window(double from, double to) =>
        samples[Math.Clamp((int)(from * Rate), 0, samples.Length)..Math.Clamp((int)(to * Rate), 0, samples.Length)];
}
