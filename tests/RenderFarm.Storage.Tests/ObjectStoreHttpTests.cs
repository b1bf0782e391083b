using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Time.Testing;

namespace RenderFarm.Storage.Tests;

public sealed class ObjectStoreHttpTests
{
    private static readonly byte[] Payload = Enumerable.Range(0, 10_000).Select(i => (byte)(i * 7)).ToArray();

    [Fact]
    public async Task PresignedUrl_HasDocumentedShape()
    {
        await using var server = await StoreServer.StartAsync();
        var url = await server.Store.PresignGetAsync("prod/p1/1/output.mp4", TimeSpan.FromMinutes(5));

        Assert.StartsWith($"{StoreServer.PublicBaseUrl}/objects/prod/p1/1/output.mp4?expires=", url.Url.ToString());
        Assert.Contains("&sig=", url.Url.Query);
        Assert.Equal(url.ExpiresAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            System.Web.HttpUtility.ParseQueryString(url.Url.Query)["expires"]);
    }

    [Fact]
    public async Task Put_ThenGet_RoundTripsBytes_WithContentType()
    {
        await using var server = await StoreServer.StartAsync();
        var put = await server.Store.PresignPutAsync("prod/p1/1/output.mp4", TimeSpan.FromMinutes(5));
        using var created = await server.Http.PutAsync(server.Local(put), new ByteArrayContent(Payload));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var replaced = await server.Http.PutAsync(server.Local(put), new ByteArrayContent(Payload));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);

        var get = await server.Store.PresignGetAsync("prod/p1/1/output.mp4", TimeSpan.FromMinutes(5));
        using var response = await server.Http.GetAsync(server.Local(get));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("bytes", response.Headers.AcceptRanges);
        Assert.Equal(Payload, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(Payload.Length, (await server.Store.StatAsync("prod/p1/1/output.mp4"))?.SizeBytes);
        Assert.Empty(Directory.GetFiles(server.Root, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task RangedGet_Returns206_WithExactBytes_And416WhenUnsatisfiable()
    {
        await using var server = await StoreServer.StartAsync();
        await PutAsync(server, "a/clip.webm", Payload);
        var get = server.Local(await server.Store.PresignGetAsync("a/clip.webm", TimeSpan.FromMinutes(5)));

        using var request = new HttpRequestMessage(HttpMethod.Get, get) { Headers = { Range = new RangeHeaderValue(100, 1099) } };
        using var partial = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal("video/webm", partial.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"bytes 100-1099/{Payload.Length}", partial.Content.Headers.ContentRange?.ToString());
        Assert.Equal(Payload[100..1100], await partial.Content.ReadAsByteArrayAsync());

        using var beyond = new HttpRequestMessage(HttpMethod.Get, get) { Headers = { Range = new RangeHeaderValue(50_000, 60_000) } };
        using var unsatisfiable = await server.Http.SendAsync(beyond);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, unsatisfiable.StatusCode);
    }

    [Fact]
    public async Task Head_ReturnsLengthAndType_WithoutBody()
    {
        await using var server = await StoreServer.StartAsync();
        await PutAsync(server, "img/poster.png", Payload);
        var get = server.Local(await server.Store.PresignGetAsync("img/poster.png", TimeSpan.FromMinutes(5)));

        using var head = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, get));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(Payload.Length, head.Content.Headers.ContentLength);
        Assert.Equal("image/png", head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task MissingObject_Returns404()
    {
        await using var server = await StoreServer.StartAsync();
        var get = server.Local(await server.Store.PresignGetAsync("nothing/here.mp4", TimeSpan.FromMinutes(5)));

        using var response = await server.Http.GetAsync(get);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(await server.Store.StatAsync("nothing/here.mp4"));
    }

    [Theory]
    [InlineData("sig")]
    [InlineData("expires")]
    [InlineData("key")]
    [InlineData("absent")]
    public async Task TamperedUrl_Returns403_SignatureInvalid(string tamper)
    {
        await using var server = await StoreServer.StartAsync();
        await PutAsync(server, "a/b.mp4", Payload);
        await PutAsync(server, "a/c.mp4", Payload);
        var url = server.Local(await server.Store.PresignGetAsync("a/b.mp4", TimeSpan.FromMinutes(5))).ToString();
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(url).Query);
        var tampered = tamper switch
        {
            // Another first character: the old "A" + rest left a signature that began with A and held no other A unchanged.
            "sig" => url.Replace(query["sig"]!, (query["sig"]![0] == 'A' ? "B" : "A") + query["sig"]![1..]),
            "expires" => url.Replace($"expires={query["expires"]}", $"expires={long.Parse(query["expires"]!) + 3600}"),
            "key" => url.Replace("/a/b.mp4", "/a/c.mp4"),
            _ => url[..url.IndexOf('?')],
        };

        using var response = await server.Http.GetAsync(tampered);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("\"URL_SIGNATURE_INVALID\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ExpiredUrl_Returns403_UrlExpired()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var server = await StoreServer.StartAsync(time);
        await PutAsync(server, "a/b.mp4", Payload);
        var get = server.Local(await server.Store.PresignGetAsync("a/b.mp4", TimeSpan.FromMinutes(10)));

        time.Advance(TimeSpan.FromMinutes(9));
        using var fresh = await server.Http.GetAsync(get);
        time.Advance(TimeSpan.FromMinutes(2));
        using var expired = await server.Http.GetAsync(get);

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Contains("\"URL_EXPIRED\"", await expired.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetUrl_UsedForPut_Returns403_AndStoresNothing()
    {
        await using var server = await StoreServer.StartAsync();
        var get = server.Local(await server.Store.PresignGetAsync("a/b.mp4", TimeSpan.FromMinutes(5)));

        using var response = await server.Http.PutAsync(get, new ByteArrayContent(Payload));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("\"URL_SIGNATURE_INVALID\"", await response.Content.ReadAsStringAsync());
        Assert.Null(await server.Store.StatAsync("a/b.mp4"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OversizePut_Returns413_AndLeavesNothing(bool declareLength)
    {
        await using var server = await StoreServer.StartAsync(maxUploadBytes: 4096);
        var put = server.Local(await server.Store.PresignPutAsync("big/out.mp4", TimeSpan.FromMinutes(5)));
        HttpContent content = declareLength
            ? new ByteArrayContent(Payload)
            : new StreamContent(new UnknownLengthStream(Payload));

        using var response = await server.Http.PutAsync(put, content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("\"OBJECT_TOO_LARGE\"", await response.Content.ReadAsStringAsync());
        Assert.Empty(Directory.GetFiles(server.Root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task ConcurrentGet_DuringPut_SeesTheWholeOldVersion_ThenTheWholeNewOne()
    {
        await using var server = await StoreServer.StartAsync();
        var oldBytes = Enumerable.Repeat((byte)1, 200_000).ToArray();
        var newBytes = Enumerable.Repeat((byte)2, 200_000).ToArray();
        await PutAsync(server, "a/out.mp4", oldBytes);
        var get = server.Local(await server.Store.PresignGetAsync("a/out.mp4", TimeSpan.FromMinutes(5)));
        var put = server.Local(await server.Store.PresignPutAsync("a/out.mp4", TimeSpan.FromMinutes(5)));
        var body = new GatedStream(newBytes, gateAt: 100_000);

        var upload = server.Http.PutAsync(put, new StreamContent(body));
        await body.Paused.WaitAsync(TimeSpan.FromSeconds(10));
        await WaitForTempFileAsync(server.Root);
        var during = await server.Http.GetByteArrayAsync(get);
        body.Release();
        using var done = await upload;
        var after = await server.Http.GetByteArrayAsync(get);

        Assert.Equal(oldBytes, during);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(newBytes, after);
    }

    [Fact]
    public async Task EncodedTraversalInUrl_IsRejected()
    {
        await using var server = await StoreServer.StartAsync();

        using var response = await server.Http.GetAsync("/objects/a/..%2F..%2F..%2Fetc%2Fpasswd?expires=9999999999&sig=x");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task WaitForTempFileAsync(string root)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Directory.GetFiles(root, "*.tmp", SearchOption.AllDirectories).Length == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the upload never reached the server");
            await Task.Delay(20);
        }
    }

    private static async Task PutAsync(StoreServer server, string key, byte[] bytes)
    {
        var put = await server.Store.PresignPutAsync(key, TimeSpan.FromMinutes(5));
        using var response = await server.Http.PutAsync(server.Local(put), new ByteArrayContent(bytes));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Yields the first <c>gateAt</c> bytes, then waits for <see cref="Release"/>.</summary>
    private sealed class GatedStream(byte[] bytes, int gateAt) : Stream
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _position;

        public Task Paused => _paused.Task;

        public void Release() => _gate.TrySetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position == gateAt)
            {
                _paused.TrySetResult();
                await _gate.Task.WaitAsync(cancellationToken);
            }
            var end = _position < gateAt ? gateAt : bytes.Length;
            var count = Math.Min(buffer.Length, end - _position);
            bytes.AsMemory(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Forces a chunked upload, so only the server's byte count can catch the size.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

public sealed class UploadRulesTests
{
    [Fact]
    public async Task RuledPut_AcceptsDeclaredTypeWithinSize()
    {
        await using var server = await StoreServer.StartAsync();
        var put = server.Local(await server.Store.PresignPutAsync("assets/a1/asset.png", TimeSpan.FromMinutes(5), new UploadRules("image/png", 100)));
        using var response = await server.Http.PutAsync(put, Content(new byte[100], "image/png"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(100, (await server.Store.StatAsync("assets/a1/asset.png"))?.SizeBytes);
    }

    [Fact]
    public async Task RuledPut_RefusesMoreThanDeclared_With413AssetTooLarge()
    {
        await using var server = await StoreServer.StartAsync();
        var put = server.Local(await server.Store.PresignPutAsync("assets/a2/asset.png", TimeSpan.FromMinutes(5), new UploadRules("image/png", 100)));
        using var response = await server.Http.PutAsync(put, Content(new byte[101], "image/png"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("ASSET_TOO_LARGE", await response.Content.ReadAsStringAsync());
        Assert.Null(await server.Store.StatAsync("assets/a2/asset.png"));
    }

    [Fact]
    public async Task RuledPut_RefusesOtherContentType_With415()
    {
        await using var server = await StoreServer.StartAsync();
        var put = server.Local(await server.Store.PresignPutAsync("assets/a3/asset.png", TimeSpan.FromMinutes(5), new UploadRules("image/png", 100)));
        using var response = await server.Http.PutAsync(put, Content(new byte[10], "image/jpeg"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("CONTENT_TYPE_MISMATCH", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RuledPut_WithLoosenedOrDroppedRules_IsForbidden()
    {
        await using var server = await StoreServer.StartAsync();
        var put = server.Local(await server.Store.PresignPutAsync("assets/a4/asset.png", TimeSpan.FromMinutes(5), new UploadRules("image/png", 100)));
        var loosened = new Uri(put.ToString().Replace("max=100", "max=100000", StringComparison.Ordinal));
        using var refused = await server.Http.PutAsync(loosened, Content(new byte[1000], "image/png"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var dropped = new Uri(put.ToString().Replace("&max=100", "", StringComparison.Ordinal).Replace("&ct=image%2Fpng", "", StringComparison.Ordinal));
        using var alsoRefused = await server.Http.PutAsync(dropped, Content(new byte[1000], "image/png"));
        Assert.Equal(HttpStatusCode.Forbidden, alsoRefused.StatusCode);
    }

    private static ByteArrayContent Content(byte[] body, string type) =>
        new(body) { Headers = { ContentType = new MediaTypeHeaderValue(type) } };
}
