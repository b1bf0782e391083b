using System.Buffers.Binary;
using System.Text;

namespace RenderFarm.Node.Rendering.Text;

/// <summary>
/// Whether a file is a whole TTF or OTF font before FreeType opens it: an sfnt header, a table
/// directory and every table inside the file, and the tables text needs. FreeType alone is not
/// enough: it opens a font cut at 90 % and fails only when a missing glyph is drawn.
/// </summary>
internal static class FontFileCheck
{
    private const uint TrueType = 0x00010000, OpenTypeCff = 0x4F54544F, AppleTrueType = 0x74727565, Collection = 0x74746366;

    private static readonly string[] Required = ["cmap", "head", "hhea", "hmtx", "maxp", "name"];

    /// <summary>Why <paramref name="path"/> is not a usable font file, or null when it is.</summary>
    public static string? Problem(string path, long maxBytes)
    {
        var length = new FileInfo(path).Length;
        if (length == 0)
        {
            return "the file is empty";
        }
        if (length > maxBytes)
        {
            return $"the file is larger than the {maxBytes} bytes a font may have";
        }
        using var file = File.OpenRead(path);
        var header = new byte[12];
        if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
        {
            return "the file is too short to be a font";
        }
        var version = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (version is not (TrueType or OpenTypeCff or AppleTrueType))
        {
            return version == Collection ? "font collections (.ttc) are not accepted: use one TTF or OTF file" : "the file is not a TTF or OTF font";
        }
        var count = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(4));
        var directory = new byte[16 * count];
        if (count == 0 || file.ReadAtLeast(directory, directory.Length, throwOnEndOfStream: false) < directory.Length)
        {
            return "the font's table directory is cut off";
        }
        var tags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var entry = directory.AsSpan(16 * i, 16);
            var tag = Encoding.ASCII.GetString(entry[..4]);
            if ((long)BinaryPrimitives.ReadUInt32BigEndian(entry[8..]) + BinaryPrimitives.ReadUInt32BigEndian(entry[12..]) > length)
            {
                return $"the font is truncated: its '{tag.Trim()}' table ends past the end of the file";
            }
            tags.Add(tag);
        }
        var missing = Required.FirstOrDefault(t => !tags.Contains(t))
            ?? (tags.Contains("glyf") || tags.Contains("CFF ") || tags.Contains("CFF2") ? null : "glyf");
        return missing is null ? null : $"the font has no '{missing}' table";
    }
}
