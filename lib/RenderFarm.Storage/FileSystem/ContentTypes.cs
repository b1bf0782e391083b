using Microsoft.AspNetCore.StaticFiles;

namespace RenderFarm.Storage.FileSystem;

/// <summary>Content type of an object from its extension.</summary>
internal static class ContentTypes
{
    private static readonly FileExtensionContentTypeProvider Provider = CreateProvider();

    public static string For(string key) =>
        Provider.TryGetContentType(key, out var type) ? type : "application/octet-stream";

    private static FileExtensionContentTypeProvider CreateProvider()
    {
        var provider = new FileExtensionContentTypeProvider();
        // The framework map predates or differs on these media types.
        provider.Mappings[".mp4"] = "video/mp4";
        provider.Mappings[".m4a"] = "audio/mp4";
        provider.Mappings[".mov"] = "video/quicktime";
        provider.Mappings[".mkv"] = "video/x-matroska";
        provider.Mappings[".webm"] = "video/webm";
        provider.Mappings[".webp"] = "image/webp";
        provider.Mappings[".mp3"] = "audio/mpeg";
        provider.Mappings[".wav"] = "audio/wav";
        provider.Mappings[".ogg"] = "audio/ogg";
        provider.Mappings[".flac"] = "audio/flac";
        provider.Mappings[".vtt"] = "text/vtt";
        provider.Mappings[".srt"] = "application/x-subrip";
        provider.Mappings[".ttf"] = "font/ttf";
        provider.Mappings[".otf"] = "font/otf";
        return provider;
    }
}
