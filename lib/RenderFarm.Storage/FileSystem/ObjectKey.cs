namespace RenderFarm.Storage.FileSystem;

/// <summary>
/// Object keys are relative paths of [A-Za-z0-9._-] segments. Anything else (absolute paths,
/// <c>..</c>, empty segments, backslashes) is refused before it can name a file.
/// </summary>
internal static class ObjectKey
{
    public const int MaxLength = 1024;

    /// <summary>Temp files carry a character no key may hold, so no URL can address them.</summary>
    public const char TempMarker = '~';

    public static void Validate(string key, string paramName = "key")
    {
        if (!IsValid(key, allowTrailingSlash: false))
        {
            throw new ArgumentException(
                $"Invalid object key '{Truncate(key)}': relative path of [A-Za-z0-9._-] segments, no '.' or '..', at most {MaxLength} chars.",
                paramName);
        }
    }

    public static bool IsValid(string? key, bool allowTrailingSlash)
    {
        if (string.IsNullOrEmpty(key) || key.Length > MaxLength)
        {
            return false;
        }
        var body = allowTrailingSlash && key.EndsWith('/') ? key[..^1] : key;
        if (body.Length == 0)
        {
            return false;
        }
        foreach (var segment in body.Split('/'))
        {
            if (segment.Length == 0 || segment.All(c => c == '.') || !segment.All(IsAllowed))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';

    private static string Truncate(string? key) => key is null ? "" : key.Length > 64 ? key[..64] + "…" : key;
}
