using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;

namespace RenderFarm.Node.Media;

/// <summary>Downloads one URL to a file under the size cap and the fetch timeout, hashing as it writes.</summary>
internal sealed partial class MediaFetcher(
    IHttpClientFactory httpClientFactory, IOptions<MediaOptions> options, TimeProvider time, ILogger<MediaFetcher> logger)
{
    public const string HttpClientName = "RenderFarm.Media";

    private readonly MediaOptions _options = options.Value;

    /// <summary>Writes the body of <paramref name="uri"/> to <paramref name="path"/>; returns its size and SHA-256 (hex).</summary>
    /// <param name="maxBytes">Size cap of this fetch; <see cref="MediaOptions.MaxBytes"/> when null.</param>
    public async Task<(long Size, string Sha256)> FetchAsync(Uri uri, string path, CancellationToken cancellationToken, long? maxBytes = null)
    {
        var cap = maxBytes ?? _options.MaxBytes;
        using var timeout = new CancellationTokenSource(_options.FetchTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            using var client = httpClientFactory.CreateClient(HttpClientName);
            using var response = await SendAsync(client, uri, linked.Token);
            EnsureUsable(response);
            if (response.Content.Headers.ContentLength > cap)
            {
                throw TooLarge(cap);
            }
            await using var body = await response.Content.ReadAsStreamAsync(linked.Token);
            var result = await CopyAsync(body, path, cap, linked.Token);
            Fetched(logger, uri.Host, result.Size);
            return result;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new MediaException(ErrorReasons.MediaFetchFailed, $"Fetching media timed out after {_options.FetchTimeout}.", retryable: true);
        }
        catch (HttpRequestException ex) when (FindRefusal(ex) is { } refusal)
        {
            throw new MediaException(ErrorReasons.MediaUrlRefused, refusal.Message);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            FetchFailed(logger, uri.Host, ex.Message);
            throw new MediaException(ErrorReasons.MediaFetchFailed, $"Fetching media failed: {ex.Message}", retryable: true);
        }
    }

    private void EnsureUsable(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            return;
        }
        var retryable = status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
        throw new MediaException(ErrorReasons.MediaFetchFailed, $"Media server answered {status}.", retryable);
    }

    /// <summary>
    /// Follows redirects itself: every hop must be http(s) (else MEDIA_URL_REFUSED) and still goes
    /// through the connect-time guard; more than <see cref="MediaOptions.MaxRedirects"/> hops fail.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(HttpClient client, Uri uri, CancellationToken cancellationToken)
    {
        for (var hop = 0; ; hop++)
        {
            var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if ((int)response.StatusCode is not (301 or 302 or 303 or 307 or 308))
            {
                return response;
            }
            var location = response.Headers.Location;
            response.Dispose();
            if (location is null)
            {
                throw new MediaException(ErrorReasons.MediaFetchFailed, "Media server redirected without a Location.");
            }
            if (hop >= _options.MaxRedirects)
            {
                throw new MediaException(ErrorReasons.MediaFetchFailed, $"Media URL redirected more than {_options.MaxRedirects} times.");
            }
            uri = SsrfGuard.ParseUrl((location.IsAbsoluteUri ? location : new Uri(uri, location)).AbsoluteUri);
        }
    }

    private static async Task<(long Size, string Sha256)> CopyAsync(Stream body, string path, long cap, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
            long size = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                size += read;
                if (size > cap)
                {
                    throw TooLarge(cap);
                }
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
            return (size, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static MediaException TooLarge(long cap) =>
        new(ErrorReasons.MediaTooLarge, $"The file is larger than the {cap} bytes a node fetches.");

    private static SsrfRefusedException? FindRefusal(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is SsrfRefusedException refusal)
            {
                return refusal;
            }
        }
        return null;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Fetched {Size} bytes of media from {Host}")]
    private static partial void Fetched(ILogger logger, string host, long size);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetching media from {Host} failed: {Reason}")]
    private static partial void FetchFailed(ILogger logger, string host, string reason);
}
