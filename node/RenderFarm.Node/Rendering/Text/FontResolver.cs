using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.Node.Rendering.Text;

/// <summary>
/// Finds the font file of each text overlay's <c>fontFamily</c> with fontconfig's <c>fc-match</c>
/// (an argument list, never a shell). fc-match always answers with some font, so an answer whose
/// family is not the one asked for means the family is not installed: the render fails with
/// FONT_NOT_FOUND naming the field rather than silently drawing another font.
/// </summary>
internal sealed class FontResolver(IOptions<RenderOptions> options)
{
    private readonly ConcurrentDictionary<string, string?> _files = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The default font and the font of every text segment that names a family.</summary>
    public async Task<RenderFonts> ResolveAsync(Contracts.V1.Canvas canvas, CancellationToken cancellationToken)
    {
        var fonts = new RenderFonts(FontFace.Open(options.Value.FontFile));
        for (var i = 0; i < canvas.Segments.Count; i++)
        {
            var family = canvas.Segments[i].KindCase == Segment.KindOneofCase.Text ? canvas.Segments[i].Text.FontFamily.Trim() : "";
            if (family.Length == 0)
            {
                continue;
            }
            var file = await FileOfAsync(family, cancellationToken).ConfigureAwait(false)
                ?? throw new RenderException(ErrorReasons.FontNotFound,
                    $"canvas.segments[{i}].text.fontFamily: no font family '{family}' is installed on this node (fc-list : family lists them).");
            fonts.BySegment[i] = FontFace.Open(file);
        }
        return fonts;
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
        var file = process.ExitCode == 0 && lines.Length == 2 && Names(lines[0]).Contains(Normal(family)) && File.Exists(lines[1]) ? lines[1] : null;
        _files[family] = file;
        return file;
    }

    // A family may carry several names ("DejaVu Sans,DejaVu Sans Condensed"); fontconfig compares
    // them without case and spaces.
    private static HashSet<string> Names(string families) =>
        [.. families.Replace(@"\,", "\u0001", StringComparison.Ordinal).Split(',').Select(n => Normal(n.Replace('\u0001', ',')))];

    private static string Normal(string name) => name.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

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
