using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RenderFarm.Storage.S3;
using RenderFarm.Testing;

namespace RenderFarm.Storage.Tests;

/// <summary>What every object store promises, run against the filesystem store and the S3 store (s3rver).</summary>
public abstract class ObjectStoreContractTests
{
    private static readonly byte[] Payload = Enumerable.Range(0, 5_000).Select(i => (byte)(i * 13)).ToArray();

    /// <summary>The store, an HTTP client, and how a presigned URL is reached from the test.</summary>
    protected abstract Task<(IObjectStore Store, HttpClient Http, Func<PresignedUrl, Uri> Local, IAsyncDisposable Owner)> OpenAsync();

    [Fact]
    public async Task PresignedPut_ThenStat_ReportsSizeAndType()
    {
        var (store, http, local, owner) = await OpenAsync();
        await using var _ = owner;
        await PutAsync(store, http, local, "productions/p1/1/output.mp4", Payload, "video/mp4");

        var info = await store.StatAsync("productions/p1/1/output.mp4");
        Assert.NotNull(info);
        Assert.Equal(Payload.Length, info.SizeBytes);
        Assert.Equal("video/mp4", info.ContentType);
        Assert.Null(await store.StatAsync("productions/p1/1/missing.mp4"));
    }

    [Fact]
    public async Task PresignedGet_ServesWholeObject_AndRanges()
    {
        var (store, http, local, owner) = await OpenAsync();
        await using var _ = owner;
        await PutAsync(store, http, local, "productions/p2/1/output.mp4", Payload, "video/mp4");
        var get = local(await store.PresignGetAsync("productions/p2/1/output.mp4", TimeSpan.FromMinutes(5)));

        Assert.Equal(Payload, await http.GetByteArrayAsync(get));
        using var request = new HttpRequestMessage(HttpMethod.Get, get) { Headers = { Range = new RangeHeaderValue(100, 599) } };
        using var partial = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(Payload[100..600], await partial.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task DeletePrefix_RemovesEveryObjectUnderIt_AndNothingElse()
    {
        var (store, http, local, owner) = await OpenAsync();
        await using var _ = owner;
        await PutAsync(store, http, local, "productions/p3/1/output.mp4", Payload, "video/mp4");
        await PutAsync(store, http, local, "productions/p3/2/poster.jpg", Payload[..10], "image/jpeg");
        await PutAsync(store, http, local, "productions/p30/1/output.mp4", Payload, "video/mp4");

        Assert.Equal(2, await store.DeletePrefixAsync("productions/p3/"));
        Assert.Null(await store.StatAsync("productions/p3/1/output.mp4"));
        Assert.Null(await store.StatAsync("productions/p3/2/poster.jpg"));
        Assert.NotNull(await store.StatAsync("productions/p30/1/output.mp4"));
        Assert.Equal(0, await store.DeletePrefixAsync("productions/p3/"));
    }

    internal static async Task PutAsync(IObjectStore store, HttpClient http, Func<PresignedUrl, Uri> local, string key, byte[] body, string contentType)
    {
        var put = local(await store.PresignPutAsync(key, TimeSpan.FromMinutes(5)));
        using var content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue(contentType) } };
        using var response = await http.PutAsync(put, content);
        Assert.True(response.IsSuccessStatusCode, $"PUT {key} answered {(int)response.StatusCode}");
    }
}

public sealed class FileSystemStoreContract : ObjectStoreContractTests
{
    protected override async Task<(IObjectStore, HttpClient, Func<PresignedUrl, Uri>, IAsyncDisposable)> OpenAsync()
    {
        var server = await StoreServer.StartAsync();
        return (server.Store, server.Http, server.Local, server);
    }
}

public sealed class S3StoreContract(S3ServerFixture s3) : ObjectStoreContractTests, IClassFixture<S3ServerFixture>
{
    protected override Task<(IObjectStore, HttpClient, Func<PresignedUrl, Uri>, IAsyncDisposable)> OpenAsync()
    {
        var store = s3.NewStore();
        var http = new HttpClient();
        return Task.FromResult<(IObjectStore, HttpClient, Func<PresignedUrl, Uri>, IAsyncDisposable)>(
            (store, http, url => url.Url, new Owner(store, http)));
    }

    private sealed class Owner(S3ObjectStore store, HttpClient http) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            store.Dispose();
            http.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>One s3rver for a test class; each store gets a fresh bucket.</summary>
public sealed class S3ServerFixture : IAsyncLifetime
{
    public S3Server Server { get; private set; } = null!;

    public S3ObjectStore NewStore() => new(Options.Create(new StorageOptions
    {
        Kind = StorageKind.S3,
        S3 = new S3StorageOptions
        {
            Endpoint = Server.Endpoint,
            Bucket = S3Server.NewBucket(),
            AccessKey = S3Server.AccessKey,
            SecretKey = S3Server.SecretKey,
        },
    }), TimeProvider.System, NullLogger<S3ObjectStore>.Instance);

    public async Task InitializeAsync() => Server = await S3Server.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
