using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RenderFarm.Storage.FileSystem;

namespace RenderFarm.Storage.Tests;

public sealed class FileSystemObjectStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rf-store-tests", Guid.NewGuid().ToString("N"));
    private readonly FileSystemObjectStore _store;

    public FileSystemObjectStoreTests()
    {
        _store = new FileSystemObjectStore(Options.Create(new StorageOptions
        {
            Root = _root,
            PublicBaseUrl = "http://127.0.0.1:8080/",
            SigningKey = new string('k', 32),
        }), new FakeTimeProvider(), NullLogger<FileSystemObjectStore>.Instance);
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("a/../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("a//b")]
    [InlineData("a/./b")]
    [InlineData("a\\b")]
    [InlineData("a/b/")]
    [InlineData("a/b%2F..")]
    [InlineData("a/b c")]
    [InlineData("a/~tmp")]
    [InlineData("")]
    public async Task TraversalAndMalformedKeys_AreRefused(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.PresignGetAsync(key, TimeSpan.FromMinutes(1)));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.PresignPutAsync(key, TimeSpan.FromMinutes(1)));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.StatAsync(key));
    }

    [Fact]
    public async Task OverlongKey_IsRefused() =>
        await Assert.ThrowsAsync<ArgumentException>(() => _store.StatAsync(new string('a', 1025)));

    [Fact]
    public async Task NonPositiveTtl_UsesConfiguredDefaults()
    {
        var get = await _store.PresignGetAsync("a/b.mp4", TimeSpan.Zero);
        var put = await _store.PresignPutAsync("a/b.mp4", TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromHours(1), get.ExpiresAt - new FakeTimeProvider().GetUtcNow());
        Assert.Equal(TimeSpan.FromHours(2), put.ExpiresAt - new FakeTimeProvider().GetUtcNow());
        Assert.StartsWith("http://127.0.0.1:8080/objects/a/b.mp4?expires=", get.Url.ToString());
    }

    [Fact]
    public async Task DeletePrefix_RemovesMatchingObjectsOnly()
    {
        Write("prod/p1/1/output.mp4");
        Write("prod/p1/2/output.mp4");
        Write("prod/p10/1/output.mp4");
        Write("prod/p2/1/output.mp4");

        Assert.Equal(2, await _store.DeletePrefixAsync("prod/p1/"));
        Assert.Null(await _store.StatAsync("prod/p1/1/output.mp4"));
        Assert.NotNull(await _store.StatAsync("prod/p10/1/output.mp4"));
        Assert.False(Directory.Exists(Path.Combine(_root, "prod", "p1")));

        Assert.Equal(1, await _store.DeletePrefixAsync("prod/p1"));
        Assert.NotNull(await _store.StatAsync("prod/p2/1/output.mp4"));
        Assert.Equal(0, await _store.DeletePrefixAsync("nothing/"));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.DeletePrefixAsync(""));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.DeletePrefixAsync("../"));
    }

    [Theory]
    [InlineData("", "http://x", "0123456789abcdef0123456789abcdef", "Root")]
    [InlineData("/tmp/x", "ftp://x", "0123456789abcdef0123456789abcdef", "PublicBaseUrl")]
    [InlineData("/tmp/x", "http://x", "short", "SigningKey")]
    public void InvalidOptions_FailValidation(string root, string baseUrl, string key, string named)
    {
        var result = new StorageOptionsValidator().Validate(null, new StorageOptions { Root = root, PublicBaseUrl = baseUrl, SigningKey = key });

        Assert.True(result.Failed);
        Assert.Contains(named, result.FailureMessage);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private void Write(string key)
    {
        var path = Path.Combine(_root, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [1, 2, 3]);
    }
}
