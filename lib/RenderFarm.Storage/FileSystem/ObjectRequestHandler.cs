using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using RenderFarm.Contracts;

namespace RenderFarm.Storage.FileSystem;

/// <summary>The HTTP side of <see cref="FileSystemObjectStore"/>: verifies signatures, serves and stores files.</summary>
internal sealed partial class ObjectRequestHandler(FileSystemObjectStore store, ILogger<ObjectRequestHandler> logger)
{
    public async Task GetAsync(HttpContext context)
    {
        if (await RefuseAsync(context, "GET") is not { } key)
        {
            return;
        }
        FileStream stream;
        try
        {
            stream = new FileStream(store.PathOf(key), FileMode.Open, FileAccess.Read,
                FileShare.Read | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            await ErrorResponse.WriteAsync(context, StatusCodes.Status404NotFound, ErrorReasons.ObjectNotFound, "No object has this key.");
            return;
        }
        // The open handle pins the file: a PUT that renames a new version over it does not change what is served.
        var lastModified = new DateTimeOffset(File.GetLastWriteTimeUtc(stream.SafeFileHandle), TimeSpan.Zero);
        await Results.File(stream, ContentTypes.For(key), lastModified: lastModified, enableRangeProcessing: true)
            .ExecuteAsync(context);
    }

    public async Task PutAsync(HttpContext context)
    {
        if (await RefuseAsync(context, "PUT") is not { } key)
        {
            return;
        }
        var max = store.Options.MaxUploadBytes;
        var rules = RulesOf(context);
        if (rules is not null)
        {
            max = Math.Min(max, rules.MaxBytes);
            var given = MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var parsed) ? parsed.MediaType.ToString() : "";
            if (!string.Equals(given, rules.ContentType, StringComparison.OrdinalIgnoreCase))
            {
                Refused(logger, "PUT", key, ErrorReasons.ContentTypeMismatch);
                await ErrorResponse.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, ErrorReasons.ContentTypeMismatch,
                    $"This URL accepts Content-Type {rules.ContentType} only.");
                return;
            }
        }
        if (context.Request.ContentLength > max)
        {
            await TooLargeAsync(context, key, max, rules);
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = max;
        }
        var path = store.PathOf(key);
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        // Same directory, so the final rename is atomic; the marker keeps temp files unaddressable by keys.
        var temp = Path.Combine(directory, $"{Path.GetFileName(path)}.{ObjectKey.TempMarker}{Guid.NewGuid():N}.tmp");
        try
        {
            var written = await CopyBodyAsync(context.Request.Body, temp, max, context.RequestAborted);
            if (written < 0)
            {
                await TooLargeAsync(context, key, max, rules);
                return;
            }
            var existed = File.Exists(path);
            File.Move(temp, path, overwrite: true);
            Stored(logger, key, written);
            await WriteStoredAsync(context, existed ? StatusCodes.Status200OK : StatusCodes.Status201Created, key, written);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await TooLargeAsync(context, key, max, rules);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Copies the body to <paramref name="temp"/>; -1 when it exceeds <paramref name="max"/> bytes.</summary>
    private static async Task<long> CopyBodyAsync(Stream body, string temp, long max, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            await using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None,
                64 * 1024, FileOptions.Asynchronous);
            long written = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                written += read;
                if (written > max)
                {
                    return -1;
                }
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
            return written;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Answers 400/403 and returns null unless the key is valid and the URL signed for <paramref name="method"/>.</summary>
    private async Task<string?> RefuseAsync(HttpContext context, string method)
    {
        var key = context.GetRouteValue("key") as string;
        if (!ObjectKey.IsValid(key, allowTrailingSlash: false))
        {
            await ErrorResponse.WriteAsync(context, StatusCodes.Status400BadRequest, ErrorReasons.ObjectKeyInvalid, "The object key is not valid.");
            return null;
        }
        var query = context.Request.Query;
        var rules = method == "PUT" ? RulesOf(context) : null;
        if (!long.TryParse(query["expires"], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || (query.ContainsKey("ct") != query.ContainsKey("max")) || (query.ContainsKey("max") && rules is null)
            || !store.Signer.Verify(method, FileSystemObjectStore.SignedKey(key!, rules?.ContentType, rules?.MaxBytes), expires, query["sig"]))
        {
            Refused(logger, method, key!, ErrorReasons.UrlSignatureInvalid);
            await ErrorResponse.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorReasons.UrlSignatureInvalid,
                "The URL signature is missing or does not match this method, key and expiry.");
            return null;
        }
        if (store.Time.GetUtcNow().ToUnixTimeSeconds() > expires)
        {
            Refused(logger, method, key!, ErrorReasons.UrlExpired);
            await ErrorResponse.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorReasons.UrlExpired, "The URL has expired.");
            return null;
        }
        return key;
    }

    /// <summary>The upload rules a PUT URL carries (signed with it), or null.</summary>
    private static UploadRules? RulesOf(HttpContext context)
    {
        var query = context.Request.Query;
        return query["ct"].ToString() is { Length: > 0 } ct
            && long.TryParse(query["max"], NumberStyles.None, CultureInfo.InvariantCulture, out var max)
            ? new UploadRules(ct, max)
            : null;
    }

    private Task TooLargeAsync(HttpContext context, string key, long max, UploadRules? rules = null)
    {
        // An asset upload (a URL with rules) says so: its limit is the asset's declared size.
        var code = rules is null ? ErrorReasons.ObjectTooLarge : ErrorReasons.AssetTooLarge;
        Refused(logger, "PUT", key, code);
        return ErrorResponse.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, code,
            $"Uploads are limited to {max} bytes.");
    }

    private static async Task WriteStoredAsync(HttpContext context, int status, string key, long size)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("key", key);
        writer.WriteNumber("sizeBytes", size);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored object {Key} ({Size} bytes)")]
    private static partial void Stored(ILogger logger, string key, long size);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Method} of object {Key}: {Code}")]
    private static partial void Refused(ILogger logger, string method, string key, string code);
}
