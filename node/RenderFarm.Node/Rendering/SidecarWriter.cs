using System.Globalization;
using System.Text;
using System.Text.Json;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Node.Rendering.Compilation;

namespace RenderFarm.Node.Rendering;

/// <summary>Writes the captions (SRT, WebVTT) and transcript (JSON) files of a render.</summary>
internal static class SidecarWriter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes each of <paramref name="sidecars"/> into <paramref name="directory"/>, in that order.</summary>
    public static async Task<IReadOnlyList<RenderedSidecar>> WriteAsync(
        IEnumerable<OutputSpec.Types.Sidecar> sidecars, CaptionTrack track, string directory, CancellationToken cancellationToken)
    {
        var written = new List<RenderedSidecar>();
        foreach (var sidecar in sidecars)
        {
            var (name, contentType) = OutputKinds.Sidecar(sidecar);
            var path = Path.Combine(directory, name);
            var content = sidecar switch
            {
                OutputSpec.Types.Sidecar.Srt => Srt(track.Cues),
                OutputSpec.Types.Sidecar.Vtt => Vtt(track.Cues),
                _ => TranscriptJson(track),
            };
            await File.WriteAllTextAsync(path, content, Utf8, cancellationToken).ConfigureAwait(false);
            written.Add(new RenderedSidecar(sidecar, path, contentType));
        }
        return written;
    }

    /// <summary>SubRip: numbered cues, "HH:MM:SS,mmm --> HH:MM:SS,mmm", the text, a blank line.</summary>
    internal static string Srt(IReadOnlyList<CaptionCue> cues)
    {
        var s = new StringBuilder();
        for (var i = 0; i < cues.Count; i++)
        {
            s.Append(CultureInfo.InvariantCulture, $"{i + 1}\n{Time(cues[i].Start, ',')} --> {Time(cues[i].End, ',')}\n{cues[i].Text}\n\n");
        }
        return s.ToString();
    }

    /// <summary>WebVTT: the header, then each cue's times and its text with &amp;, &lt; and &gt; escaped.</summary>
    internal static string Vtt(IReadOnlyList<CaptionCue> cues)
    {
        var s = new StringBuilder("WEBVTT\n\n");
        foreach (var cue in cues)
        {
            var text = cue.Text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
            s.Append(CultureInfo.InvariantCulture, $"{Time(cue.Start, '.')} --> {Time(cue.End, '.')}\n{text}\n\n");
        }
        return s.ToString();
    }

    /// <summary>{"words": [{text, start, end}], "segments": [{text, start, end}]}, seconds to the millisecond.</summary>
    internal static string TranscriptJson(CaptionTrack track)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            WriteItems(json, "words", track.Words.Select(w => (w.Text, w.Start, w.End)));
            WriteItems(json, "segments", track.Cues.Select(c => (string.Join(' ', c.Lines), c.Start, c.End)));
            json.WriteEndObject();
        }
        return Utf8.GetString(stream.ToArray());
    }

    private static void WriteItems(Utf8JsonWriter json, string name, IEnumerable<(string Text, double Start, double End)> items)
    {
        json.WriteStartArray(name);
        foreach (var (text, start, end) in items)
        {
            json.WriteStartObject();
            json.WriteString("text", text);
            json.WriteNumber("start", Math.Round(start, 3));
            json.WriteNumber("end", Math.Round(end, 3));
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static string Time(double seconds, char separator)
    {
        var ms = (long)Math.Round(Math.Max(0, seconds) * 1000);
        return string.Create(CultureInfo.InvariantCulture, $"{ms / 3_600_000:00}:{ms / 60_000 % 60:00}:{ms / 1000 % 60:00}{separator}{ms % 1000:000}");
    }
}
