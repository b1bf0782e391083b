using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;
using RenderFarm.CanvasModel;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Node.Media;

namespace RenderFarm.Node.Rendering.Text;

/// <summary>
/// Finds the font of each text and captions <c>fontFamily</c>: a family of <c>canvas.fonts</c>
/// (fetched like media, vetted as a font, and shadowing an installed family of the same name), else
/// an installed family found with fontconfig's <c>fc-match</c> (an argument list, never a shell).
/// fc-match always answers with some font, so an answer whose family is not the one asked for means
/// the family is not installed: the render fails with FONT_NOT_FOUND naming the field rather than
/// silently drawing another font, and is retried, preferably on another node, since nodes may
/// differ in installed fonts.
/// </summary>
internal sealed class FontResolver(IMediaSource source, IOptions<RenderOptions> options)
{
    private readonly ConcurrentDictionary<string, string?> _files = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The default font, the canvas's fonts, and the font of every segment that names a family.</summary>
    /// <param name="scratch">The render's scratch folder, where each canvas font gets a folder for libass.</param>
    /// <param name="pins">Receives a pin per canvas font; dispose them once FFmpeg is done with the files.</param>
    public async Task<RenderFonts> ResolveAsync(Contracts.V1.Canvas canvas, string scratch, ICollection<IDisposable> pins, CancellationToken cancellationToken)
    {
        var fonts = new RenderFonts(FontFace.Open(options.Value.FontFile));
        var brought = new Dictionary<string, FontFace>(StringComparer.Ordinal);
        for (var i = 0; i < canvas.Fonts.Count; i++)
        {
            var face = await CanvasFontAsync(canvas.Fonts[i].Src, $"canvas.fonts[{i}].src", pins, cancellationToken).ConfigureAwait(false);
            brought[FontFamilies.Normal(canvas.Fonts[i].Family)] = face;
            fonts.Folders[face] = Folder(face, Path.Combine(scratch, $"font{i}"));
        }
        for (var i = 0; i < canvas.Segments.Count; i++)
        {
            var (field, family) = FamilyOf(canvas.Segments[i], $"canvas.segments[{i}]");
            if (family.Length > 0)
            {
                fonts.BySegment[i] = brought.GetValueOrDefault(FontFamilies.Normal(family))
                    ?? await InstalledAsync(field, family, cancellationToken).ConfigureAwait(false);
            }
        }
        return fonts;
    }

    private static (string Field, string Family) FamilyOf(Segment s, string path) => s.KindCase switch
    {
        Segment.KindOneofCase.Text => ($"{path}.text.fontFamily", s.Text.FontFamily.Trim()),
        Segment.KindOneofCase.Captions => ($"{path}.captions.fontFamily", s.Captions.FontFamily.Trim()),
        _ => ("", ""),
    };

    private async Task<FontFace> InstalledAsync(string field, string family, CancellationToken cancellationToken)
    {
        var file = await FileOfAsync(family, cancellationToken).ConfigureAwait(false)
            ?? throw new RenderException(ErrorReasons.FontNotFound,
                $"{field}: no font family '{family}' is in canvas.fonts or installed on this node (fc-list : family lists them).", retryable: true);
        return FontFace.Open(file);
    }

    // Fetched behind the SSRF guard and cached like media, then accepted only as a whole TTF/OTF
    // file that FreeType opens, within a time limit, with outline glyphs and a family name.
    private async Task<FontFace> CanvasFontAsync(string src, string field, ICollection<IDisposable> pins, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxFontBytes;
        pins.Add(source.Pin(src));
        string path;
        try
        {
            path = await source.GetFileAsync(src, limit, cancellationToken).ConfigureAwait(false);
        }
        catch (MediaException e)
        {
            throw e.Code == ErrorReasons.MediaTooLarge
                ? Invalid(field, $"the file is larger than the {limit} bytes a font may have")
                : new RenderException(e.Code, $"{field}: {e.Message}", e.Retryable, e);
        }
        if (FontFileCheck.Problem(path, limit) is { } problem)
        {
            throw Invalid(field, problem);
        }
        FontFace face;
        try
        {
            face = await Task.Run(() => FontFace.Open(path), cancellationToken).WaitAsync(options.Value.FontCheckTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (RenderException)
        {
            throw Invalid(field, "FreeType cannot open it as a font");
        }
        catch (TimeoutException)
        {
            throw Invalid(field, $"FreeType did not open it within {options.Value.FontCheckTimeout.TotalSeconds:0} s");
        }
        return face.IsScalable && face.GlyphCount > 0 && face.Family.Length > 0
            ? face
            : throw Invalid(field, "it has no outline glyphs or no family name");
    }

    private static RenderException Invalid(string field, string problem) =>
        new(ErrorReasons.FontInvalid, $"{field}: not a usable TTF or OTF font: {problem}.");

    // libass's fontsdir loads every file of a folder: each canvas font gets a folder of its own.
    private static string Folder(FontFace face, string folder)
    {
        Directory.CreateDirectory(folder);
        File.CreateSymbolicLink(Path.Combine(folder, "font"), face.Path);
        return folder;
    }

    private async Task<string?> FileOfAsync(string family, CancellationToken cancellationToken)
    {
        if (_files.TryGetValue(family, out var cached))
        {
            return cached;
        }
        var start = new ProcessStartInfo(options.Value.FcMatchPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var arg in (string[])["-f", "%{family}\n%{file}", "--", Pattern(family)])
        {
            start.ArgumentList.Add(arg);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var process = Process.Start(start) ?? throw new RenderException(ErrorReasons.FontNotFound, "fc-match did not start.", retryable: true);
        var output = await process.StandardOutput.ReadToEndAsync(timeout.Token).ConfigureAwait(false);
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        var lines = output.Split('\n');
        var file = process.ExitCode == 0 && lines.Length == 2 && Names(lines[0]).Contains(FontFamilies.Normal(family)) && File.Exists(lines[1]) ? lines[1] : null;
        _files[family] = file;
        return file;
    }

    // A family may carry several names ("DejaVu Sans,DejaVu Sans Condensed"); fontconfig compares
    // them without case and spaces.
    private static HashSet<string> Names(string families) =>
        [.. families.Replace(@"\,", "\u0001", StringComparison.Ordinal).Split(',').Select(n => FontFamilies.Normal(n.Replace('\u0001', ',')))];

    // In a fontconfig pattern '-' starts the size and ':' the properties; escaped, the name is only a family.
    internal static string Pattern(string family)
    {
        var sb = new StringBuilder(family.Length + 4);
        foreach (var c in family)
        {
            if (c is '\\' or '-' or ':' or ',')
            {
                sb.Append('\\');
            }
            sb.Append(c);
        }
        return sb.ToString();
    }
}
