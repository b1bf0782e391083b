using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RenderFarm.Cli.Api;

/// <summary>
/// The farm's REST API over one HttpClient: JSON in, JSON out, every failure turned into a
/// <see cref="CliException"/> with its exit code. Connecting gives up after <see cref="ConnectTimeout"/>
/// and a plain call after <see cref="RequestTimeout"/>, so an unreachable farm never hangs the CLI.
/// </summary>
internal sealed class FarmClient : IDisposable
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http;

    public FarmClient(string baseUrl, string? apiKey)
    {
        if (!Uri.TryCreate(baseUrl.TrimEnd('/') + "/", UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"the farm URL '{baseUrl}' is not an http(s) URL (set --url or RENDERFARM_URL)");
        }

        BaseUri = baseUri;
        // Streams (SSE, downloads) run as long as they need; plain calls carry their own deadline.
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = ConnectTimeout }) { BaseAddress = baseUri, Timeout = Timeout.InfiniteTimeSpan };
        if (!string.IsNullOrEmpty(apiKey))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    public Uri BaseUri { get; }

    public Task<JsonElement> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    public Task<JsonElement> PostAsync(string path, JsonNode? body, CancellationToken ct) => SendAsync(HttpMethod.Post, path, body, ct);

    public Task<JsonElement> DeleteAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Delete, path, null, ct);

    /// <summary>Sends a JSON request and returns the answer's JSON; a non-success status throws <see cref="ApiError"/>.</summary>
    public async Task<JsonElement> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(RequestTimeout);
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token, ct);
        var text = await response.Content.ReadAsStringAsync(deadline.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw ApiError.From(response.StatusCode, text);
        }

        using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text);
        return doc.RootElement.Clone();
    }

    /// <summary>
    /// Sends a request and returns the response (the caller disposes it); network failures and
    /// timeouts become exit 6, a cancellation by <paramref name="userToken"/> stays a cancellation.
    /// </summary>
    public async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct, CancellationToken userToken)
    {
        try
        {
            return await _http.SendAsync(request, completion, ct);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(e);
        }
        catch (OperationCanceledException e) when (!userToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Unavailable, $"the farm at {BaseUri} did not answer in time ({e.Message})", e);
        }
    }

    public CliException Unreachable(Exception e)
    {
        var cause = e.InnerException is SocketException s ? s.Message : e.Message;
        return new CliException(ExitCodes.Unavailable, $"the farm at {BaseUri} is unreachable: {cause}", e);
    }

    /// <summary>An absolute URL for a URL the farm returned (signed object URLs may be relative to the REST address).</summary>
    public Uri Resolve(string url) => new(BaseUri, url);

    /// <summary>Copies <paramref name="url"/> to <paramref name="path"/>, reporting bytes so far and the total (when known).</summary>
    public async Task DownloadAsync(string url, string path, Action<long, long?> progress, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Resolve(url));
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseHeadersRead, ct, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw ApiError.From(response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        }

        var total = response.Content.Headers.ContentLength;
        var partial = path + ".part";
        await using (var source = await response.Content.ReadAsStreamAsync(ct))
        await using (var target = File.Create(partial))
        {
            var buffer = new byte[81920];
            long done = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
            {
                await target.WriteAsync(buffer.AsMemory(0, read), ct);
                done += read;
                progress(done, total);
            }
        }

        File.Move(partial, path, overwrite: true);
    }

    /// <summary>PUTs a file's bytes to a presigned upload URL, reporting bytes sent.</summary>
    public async Task UploadAsync(string url, string file, string contentType, Action<long> progress, CancellationToken ct)
    {
        await using var stream = File.OpenRead(file);
        using var request = new HttpRequestMessage(HttpMethod.Put, Resolve(url)) { Content = new ProgressContent(stream, progress) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Content.Headers.ContentLength = stream.Length;
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, ct, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw ApiError.From(response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>A stream body that reports how much of it has been sent.</summary>
    private sealed class ProgressContent(Stream source, Action<long> progress) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        {
            var buffer = new byte[81920];
            long sent = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                sent += read;
                progress(sent);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = source.Length;
            return true;
        }
    }
}
