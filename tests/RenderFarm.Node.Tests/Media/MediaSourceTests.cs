using System.Diagnostics;
using RenderFarm.Node.Media;

namespace RenderFarm.Node.Tests.Media;

public sealed class MediaSourceTests(MediaFixture server) : IClassFixture<MediaFixture>, IDisposable
{
    private readonly MediaSourceBuilder _builder = new();

    public void Dispose() => _builder.Dispose();

    private string Url(string pathAndQuery) => new Uri(server.BaseUrl, pathAndQuery).ToString();

    private IMediaSource AllowLoopback() => _builder.Allow("127.0.0.1").Build();

    [Fact]
    public async Task AllowListedLoopback_FetchesAndProbesClip()
    {
        var media = await AllowLoopback().GetAsync(Url("/files/clip.mp4/a.mp4"), CancellationToken.None);

        Assert.Equal("mov", media.Format);
        Assert.True(media.HasVideo);
        Assert.True(media.HasAudio);
        Assert.False(media.IsImage);
        Assert.Equal((320, 240), (media.Width, media.Height));
        Assert.Equal(0, media.Rotation);
        Assert.Equal(25, media.Fps, 3);
        Assert.InRange(media.Duration ?? 0, 0.9, 1.1);
        Assert.StartsWith(_builder.CacheDirectory, media.Path);
        Assert.Equal(File.ReadAllBytes(server.ClipPath), File.ReadAllBytes(media.Path));
    }

    [Fact]
    public async Task RotatedClip_ReportsClockwiseRotation()
    {
        var media = await AllowLoopback().GetAsync(Url("/files/rotated.mp4/r.mp4"), CancellationToken.None);

        Assert.Equal(90, media.Rotation);
        Assert.Equal((320, 240), (media.Width, media.Height));
    }

    [Fact]
    public async Task Image_IsProbedAsPipeDemuxer_WithoutDuration()
    {
        var media = await AllowLoopback().GetAsync(Url("/files/image.png/poster.png"), CancellationToken.None);

        Assert.Equal("png_pipe", media.Format);
        Assert.True(media.IsImage);
        Assert.Null(media.Duration);
        Assert.Equal((64, 48), (media.Width, media.Height));
    }

    [Fact]
    public async Task Audio_IsProbed()
    {
        var media = await AllowLoopback().GetAsync(Url("/files/tone.wav/t.wav"), CancellationToken.None);

        Assert.Equal("wav", media.Format);
        Assert.False(media.HasVideo);
        Assert.True(media.HasAudio);
    }

    [Fact]
    public async Task PortScopedAllowList_AllowsOnlyThatPort()
    {
        using var other = new MediaSourceBuilder();
        var allowed = _builder.Allow($"127.0.0.1:{server.Port}").Build();
        var wrongPort = other.Allow("127.0.0.1:1").Build();

        Assert.True((await allowed.GetAsync(Url("/files/clip.mp4/port.mp4"), CancellationToken.None)).HasVideo);
        await AssertRefusedAsync(wrongPort, Url("/files/clip.mp4/port-refused.mp4"), "MEDIA_URL_REFUSED");
    }

    [Fact]
    public async Task Loopback_WithoutAllowList_IsRefused_BeforeAnyRequest()
    {
        var source = _builder.Build();

        await AssertRefusedAsync(source, Url("/files/clip.mp4/refused.mp4"), "MEDIA_URL_REFUSED");
        await AssertRefusedAsync(source, $"http://localhost:{server.Port}/files/clip.mp4/refused-localhost.mp4", "MEDIA_URL_REFUSED");
        Assert.Equal(0, server.RequestsFor("/files/clip.mp4/refused.mp4"));
        Assert.Equal(0, server.RequestsFor("/files/clip.mp4/refused-localhost.mp4"));
    }

    [Theory]
    [InlineData("http://10.0.0.1/a.mp4")]
    [InlineData("http://172.16.5.4/a.mp4")]
    [InlineData("http://192.168.1.1/a.mp4")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/")]
    [InlineData("http://100.64.0.1/a.mp4")]
    [InlineData("http://0.0.0.0/a.mp4")]
    [InlineData("http://127.0.0.2/a.mp4")]
    [InlineData("http://2130706433/a.mp4")]
    [InlineData("http://[::1]/a.mp4")]
    [InlineData("http://[::ffff:127.0.0.1]/a.mp4")]
    [InlineData("http://[::ffff:169.254.169.254]/a.mp4")]
    [InlineData("http://[fe80::1]/a.mp4")]
    [InlineData("http://224.0.0.1/a.mp4")]
    [InlineData("http://255.255.255.255/a.mp4")]
    public async Task InternalAddresses_AreRefused(string url) =>
        await AssertRefusedAsync(_builder.Build(), url, "MEDIA_URL_REFUSED");

    [Theory]
    [InlineData("http://2130706433:{port}/files/clip.mp4/decimal.mp4")]
    [InlineData("http://[::ffff:127.0.0.1]:{port}/files/clip.mp4/mapped.mp4")]
    public async Task OtherSpellingsOfAnAllowedAddress_AreAllowed(string url)
    {
        var media = await AllowLoopback().GetAsync(url.Replace("{port}", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)), CancellationToken.None);
        Assert.True(media.HasVideo);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://example.com/a.mp4")]
    [InlineData("gopher://example.com/a")]
    [InlineData("data:video/mp4;base64,AAAA")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/etc/passwd")]
    [InlineData("clip.mp4")]
    [InlineData("http://user:pass@127.0.0.1/a.mp4")]
    public async Task NonHttpOrMalformedUrls_AreRefused(string url) =>
        await AssertRefusedAsync(AllowLoopback(), url, "MEDIA_URL_REFUSED");

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://10.1.2.3/a.mp4")]
    [InlineData("http://127.0.0.2:{port}/files/clip.mp4/via-redirect.mp4")]
    public async Task RedirectFromAllowedHost_ToRefusedAddress_IsRefused(string target)
    {
        var to = Uri.EscapeDataString(target.Replace("{port}", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        await AssertRefusedAsync(AllowLoopback(), Url($"/redirect?to={to}"), "MEDIA_URL_REFUSED");
    }

    [Fact]
    public async Task RedirectToFileScheme_IsRefused()
    {
        var error = await AssertRefusedAsync(AllowLoopback(), Url($"/redirect?to={Uri.EscapeDataString("file:///etc/passwd")}"), "MEDIA_URL_REFUSED");
        Assert.False(error.Retryable);
    }

    [Fact]
    public async Task RedirectChain_IsCapped()
    {
        var url = Url("/files/clip.mp4/end.mp4");
        for (var i = 0; i < 3; i++)
        {
            url = Url($"/redirect?to={Uri.EscapeDataString(url)}");
        }
        var source = _builder.Allow("127.0.0.1").Set("MaxRedirects", "2").Build();

        await AssertRefusedAsync(source, url, "MEDIA_FETCH_FAILED");
    }

    [Theory]
    [InlineData("/big")]
    [InlineData("/big-chunked")]
    public async Task Oversize_IsRefused_AndLeavesNoFile(string path)
    {
        var source = _builder.Allow("127.0.0.1").Set("MaxBytes", "1000").Build();

        await AssertRefusedAsync(source, Url(path), "MEDIA_TOO_LARGE");
        Assert.Empty(Directory.GetFiles(_builder.CacheDirectory, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("/slow")]
    [InlineData("/stall")]
    public async Task SlowServer_TimesOut_WithoutHanging(string path)
    {
        var source = _builder.Allow("127.0.0.1").Set("FetchTimeout", "00:00:01").Build();
        var watch = Stopwatch.StartNew();

        var error = await AssertRefusedAsync(source, Url(path), "MEDIA_FETCH_FAILED");

        Assert.True(error.Retryable);
        Assert.Contains("timed out", error.Message);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData(404, false)]
    [InlineData(403, false)]
    [InlineData(503, true)]
    public async Task HttpErrors_MapToFetchFailed(int status, bool retryable)
    {
        var error = await AssertRefusedAsync(AllowLoopback(), Url($"/status/{status}"), "MEDIA_FETCH_FAILED");
        Assert.Equal(retryable, error.Retryable);
    }

    [Theory]
    [InlineData("playlist.m3u8")]
    [InlineData("list.ffconcat")]
    [InlineData("corrupt.mp4")]
    [InlineData("truncated.mp4")]
    [InlineData("empty.mp4")]
    [InlineData("notes.txt")]
    public async Task PlaylistsAndCorruptBytes_PosingAsVideo_AreUnsupported(string file)
    {
        // The playlists name server.ClipPath, a valid clip on this disk: only a refusal to open them yields MEDIA_UNSUPPORTED.
        await AssertRefusedAsync(AllowLoopback(), Url($"/files/{file}/video.mp4"), "MEDIA_UNSUPPORTED");
        Assert.Empty(Directory.GetFiles(Path.Combine(_builder.CacheDirectory, "objects")));
    }

    [Fact]
    public async Task SecondFetchOfSameUrl_HitsCache()
    {
        var source = AllowLoopback();
        var first = await source.GetAsync(Url("/files/clip.mp4/cached.mp4"), CancellationToken.None);
        var second = await source.GetAsync(Url("/files/clip.mp4/cached.mp4"), CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal(1, server.RequestsFor("/files/clip.mp4/cached.mp4"));
    }

    [Fact]
    public async Task ConcurrentFetchesOfSameUrl_FetchOnce()
    {
        var source = AllowLoopback();

        var results = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => source.GetAsync(Url("/files/clip.mp4/concurrent.mp4"), CancellationToken.None)));

        Assert.Single(results.Select(r => r.Path).Distinct());
        Assert.Equal(1, server.RequestsFor("/files/clip.mp4/concurrent.mp4"));
    }

    [Fact]
    public async Task SameBytesUnderTwoUrls_AreStoredOnce_AndCacheEvictsLeastRecentlyUsed()
    {
        var clipSize = new FileInfo(server.ClipPath).Length;
        var source = _builder.Allow("127.0.0.1").Set("CacheMaxBytes", (clipSize + 100).ToString(System.Globalization.CultureInfo.InvariantCulture)).Build();

        var a = await source.GetAsync(Url("/files/clip.mp4/lru-a.mp4"), CancellationToken.None);
        var b = await source.GetAsync(Url("/files/clip.mp4/lru-b.mp4"), CancellationToken.None);
        Assert.Equal(a.Path, b.Path);
        await source.GetAsync(Url("/files/image.png/lru-c.png"), CancellationToken.None);
        await source.GetAsync(Url("/files/clip.mp4/lru-a.mp4"), CancellationToken.None);

        Assert.Equal(2, server.RequestsFor("/files/clip.mp4/lru-a.mp4"));
        Assert.Single(Directory.GetFiles(Path.Combine(_builder.CacheDirectory, "objects")));
    }

    [Fact]
    public async Task PinnedMedia_OutlivesEviction_UntilReleased()
    {
        var clipSize = new FileInfo(server.ClipPath).Length;
        var source = _builder.Allow("127.0.0.1").Set("CacheMaxBytes", (clipSize + 100).ToString(System.Globalization.CultureInfo.InvariantCulture)).Build();
        var url = Url("/files/clip.mp4/pinned.mp4");

        var pin = source.Pin(url);
        var clip = await source.GetAsync(url, CancellationToken.None);
        await source.GetAsync(Url("/files/image.png/pin-b.png"), CancellationToken.None);
        Assert.True(File.Exists(clip.Path), "a pinned file was evicted");

        pin.Dispose();
        await source.GetAsync(Url("/files/tone.wav/pin-c.wav"), CancellationToken.None);
        Assert.False(File.Exists(clip.Path), "the released file should be the least recently used");
    }

    [Fact]
    public async Task ProbeThatHangs_IsKilled_WithMediaUnsupported()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var hanging = Path.Combine(_builder.CacheDirectory, "ffprobe-hangs");
        Directory.CreateDirectory(_builder.CacheDirectory);
        await File.WriteAllTextAsync(hanging, "#!/bin/sh\nexec sleep 60\n");
        File.SetUnixFileMode(hanging, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var source = _builder.Allow("127.0.0.1").Set("FfprobePath", hanging).Set("ProbeTimeout", "00:00:00.5").Build();

        var error = await AssertRefusedAsync(source, Url("/files/clip.mp4/probe-hangs.mp4"), "MEDIA_UNSUPPORTED");

        Assert.Contains("did not finish", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(_builder.CacheDirectory, "objects")));
    }

    [Fact]
    public async Task PlainFile_IsFetchedOnce_Unprobed_AndCappedByItsOwnLimit()
    {
        var source = AllowLoopback();
        var url = Url("/files/notes.txt/brand.ttf");

        var path = await source.GetFileAsync(url, 1000, CancellationToken.None);
        Assert.Equal("not a video\n", await File.ReadAllTextAsync(path));
        Assert.Equal(path, await source.GetFileAsync(url, 1000, CancellationToken.None));
        Assert.Equal(1, server.RequestsFor("/files/notes.txt/brand.ttf"));

        var tooLarge = await Assert.ThrowsAsync<MediaException>(() => source.GetFileAsync(Url("/files/clip.mp4/big.ttf"), 1000, CancellationToken.None));
        Assert.Equal("MEDIA_TOO_LARGE", tooLarge.Code);
    }

    [Fact]
    public async Task PlainFile_FromAPrivateAddress_IsRefusedByTheGuard()
    {
        var refused = await Assert.ThrowsAsync<MediaException>(() => _builder.Build().GetFileAsync(Url("/files/notes.txt/private.ttf"), 1000, CancellationToken.None));

        Assert.Equal("MEDIA_URL_REFUSED", refused.Code);
        Assert.Equal(0, server.RequestsFor("/files/notes.txt/private.ttf"));
    }

    private static async Task<MediaException> AssertRefusedAsync(IMediaSource source, string url, string code)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var error = await Assert.ThrowsAsync<MediaException>(() => source.GetAsync(url, guard.Token));
        Assert.True(error.Code == code, $"{url}: expected {code}, got {error.Code}: {error.Message}");
        return error;
    }
}
