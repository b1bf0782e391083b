using System.Buffers.Text;
using System.Globalization;
using System.Text;
using RenderFarm.State;

namespace RenderFarm.Facade.Api;

/// <summary>Opaque list cursors: the create time and id of the last item of a page.</summary>
internal static class PageTokens
{
    public static string Encode(PageCursor cursor) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(FormattableString.Invariant($"{cursor.CreateMs}:{cursor.Id}")));

    public static bool TryDecode(string token, out PageCursor? cursor)
    {
        cursor = null;
        if (token.Length == 0)
        {
            return true;
        }

        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split(':');
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && parts[1].Length is > 0 and <= 64)
            {
                cursor = new PageCursor(ms, parts[1]);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}
