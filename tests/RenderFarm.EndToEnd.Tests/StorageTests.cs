using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RenderFarm.Storage;
using RenderFarm.Storage.S3;
using RenderFarm.Testing;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>A farm on Garnet storing outputs and assets in S3 (s3rver on loopback).</summary>
public sealed class S3FarmFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;
    public S3Server S3 { get; private set; } = null!;
    public TestFarm Farm { get; private set; } = null!;
    public string Bucket { get; } = S3Server.NewBucket();

    /// <summary>A store on the farm's bucket, to look at what it holds.</summary>
    public S3ObjectStore OpenBucket() => new(Options.Create(new StorageOptions
    {
        Kind = StorageKind.S3,
        S3 = new S3StorageOptions { Endpoint = S3.Endpoint, Bucket = Bucket, AccessKey = S3Server.AccessKey, SecretKey = S3Server.SecretKey },
    }), TimeProvider.System, NullLogger<S3ObjectStore>.Instance);

    public async Task InitializeAsync()
    {
        Server = RedisServer.StartGarnet();
        S3 = await S3Server.StartAsync();
        Farm = await TestFarm.StartAsync(Server, extra: S3.Settings(Bucket));
    }

    public async Task DisposeAsync()
    {
        await Farm.DisposeAsync();
        await S3.DisposeAsync();
        await Server.DisposeAsync();
    }
}

public sealed class S3StorageTests(S3FarmFixture fixture) : IClassFixture<S3FarmFixture>
{
    // Presigned S3 URLs carry their own signature: S3 refuses a second mechanism (the API key header).
    private static readonly HttpClient Presigned = new();

    private TestFarm Farm => fixture.Farm;

    [Fact]
    public async Task Render_UploadsToS3_ResultUrlServesRanges_AndDeleteRemovesTheObjects()
    {
        var id = await RenderColorAsync(Farm.Http, "#3366CC");
        var url = (await Rest.GetAsync(Farm.Http, id))["result"]!["url"]!.GetValue<string>();
        Assert.StartsWith($"{fixture.S3.Endpoint}/{fixture.Bucket}/productions/{id}/", url, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Signature=", url, StringComparison.Ordinal);

        using var ranged = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new RangeHeaderValue(0, 99) } };
        using var partial = await Presigned.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(100, (await partial.Content.ReadAsByteArrayAsync()).Length);
        var file = Path.Combine(Farm.DataDirectory, $"s3-{id}.mp4");
        await File.WriteAllBytesAsync(file, await Presigned.GetByteArrayAsync(url));
        var facts = await MediaFacts.ProbeAsync(file);
        Assert.Equal((160, 120), (facts.Width, facts.Height));
        Assert.True((await Frame.AtAsync(file, 0.5, 160, 120)).Near(80, 60, "#3366CC"));

        using var bucket = fixture.OpenBucket();
        Assert.NotEmpty(await bucket.ListAsync($"productions/{id}/"));
        var (status, _) = await Rest.SendAsync(Farm.Http, HttpMethod.Delete, $"/v1/productions/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(await bucket.ListAsync($"productions/{id}/"));
    }

    [Fact]
    public async Task WavStillsAndSidecars_GoToS3_WithTheirContentTypes_AndDeleteRemovesThem()
    {
        var json = Rest.Json(new
        {
            canvas = new
            {
                width = 160,
                height = 120,
                segments = new object[]
                {
                    new { color = new { color = "#00AA00" }, duration = 1.5 },
                    new { speech = new { text = "Stored in S3" }, start = 0.1 },
                },
            },
            output = new { format = "WAV", sidecars = new[] { "SRT", "TRANSCRIPT_JSON" } },
        });
        var id = (await Rest.CreateAsync(Farm.Http, json))["id"]!.GetValue<string>();
        var events = await Rest.ReadEventsAsync(Farm.Http, id);
        Assert.Equal("SUCCEEDED", events[^1].Data["production"]!["state"]!.GetValue<string>());
        var result = (await Rest.GetAsync(Farm.Http, id))["result"]!;

        var file = Path.Combine(Farm.DataDirectory, $"s3-{id}.wav");
        await File.WriteAllBytesAsync(file, await Presigned.GetByteArrayAsync(result["url"]!.GetValue<string>()));
        var facts = await MediaFacts.ProbeAsync(file);
        Assert.Equal((null, "pcm_s16le"), (facts.VideoCodec, facts.AudioCodec));
        Assert.InRange(facts.Duration, 1.5 - 0.002, 1.5 + 0.002);

        var sidecars = result["sidecars"]!.AsArray();
        foreach (var (sidecar, type) in sidecars.Zip(["application/x-subrip", "application/json"]))
        {
            var url = sidecar!["url"]!.GetValue<string>();
            Assert.StartsWith($"{fixture.S3.Endpoint}/{fixture.Bucket}/productions/{id}/", url, StringComparison.Ordinal);
            using var response = await Presigned.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Contains("Stored", await Presigned.GetStringAsync(sidecars[0]!["url"]!.GetValue<string>()), StringComparison.Ordinal);

        using var bucket = fixture.OpenBucket();
        Assert.Equal(3, (await bucket.ListAsync($"productions/{id}/")).Count);
        Assert.Equal(HttpStatusCode.OK, (await Rest.SendAsync(Farm.Http, HttpMethod.Delete, $"/v1/productions/{id}")).Status);
        Assert.Empty(await bucket.ListAsync($"productions/{id}/"));
    }

    [Fact]
    public async Task Asset_FromS3_RendersWithItsPixels()
    {
        var png = await Assets.PngAsync(Farm, "#10A050");
        var asset = await Assets.CreateAsync(Farm.Http, "image/png", png.Length);
        Assert.StartsWith(fixture.S3.Endpoint, asset["uploadUrl"]!.GetValue<string>(), StringComparison.Ordinal);
        using var put = await Assets.PutAsync(Presigned, asset, png, "image/png");
        Assert.True(put.IsSuccessStatusCode, $"PUT answered {put.StatusCode}");

        var production = await Assets.RenderAsync(Farm.Http, asset["id"]!.GetValue<string>());
        Assert.Equal("SUCCEEDED", production["state"]!.GetValue<string>());
        var file = Path.Combine(Farm.DataDirectory, $"s3-asset-{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(file, await Presigned.GetByteArrayAsync(production["result"]!["url"]!.GetValue<string>()));
        Assert.True((await Frame.AtAsync(file, 0.5, 160, 120)).Near(80, 60, "#10A050"));
    }

    [Fact]
    public async Task DeleteAsset_RemovesItsObjectFromS3_AndTheBytesFromStoredBytes()
    {
        var png = await Assets.PngAsync(Farm, "#A02060");
        var asset = await Assets.CreateAsync(Farm.Http, "image/png", png.Length);
        var id = asset["id"]!.GetValue<string>();
        using (var put = await Assets.PutAsync(Presigned, asset, png, "image/png"))
        {
            Assert.True(put.IsSuccessStatusCode, $"PUT answered {put.StatusCode}");
        }

        using var bucket = fixture.OpenBucket();
        Assert.Single(await bucket.ListAsync($"assets/{id}/"));
        var stored = await StoredBytesAsync();
        Assert.Equal(HttpStatusCode.OK, (await Rest.SendAsync(Farm.Http, HttpMethod.Delete, $"/v1/assets/{id}")).Status);
        Assert.Empty(await bucket.ListAsync($"assets/{id}/"));
        Assert.Equal(stored - png.Length, await StoredBytesAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Rest.SendAsync(Farm.Http, HttpMethod.Get, $"/v1/assets/{id}")).Status);
        var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/productions", Rest.Json(new { canvas = Assets.Canvas(id) }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("ASSET_NOT_FOUND", body!.ToJsonString(), StringComparison.Ordinal);
    }

    private async Task<long> StoredBytesAsync()
    {
        var (_, usage) = await Rest.SendAsync(Farm.Http, HttpMethod.Get, "/v1/usage");
        return long.Parse(usage!["storedBytes"]?.GetValue<string>() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData("image/jpeg", 0, "CONTENT_TYPE_MISMATCH")]
    [InlineData("image/png", 64, "ASSET_TOO_LARGE")]
    public async Task Asset_UploadedOutsideItsDeclaration_FailsTheProductionAtFirstUse(string uploadedAs, int extraBytes, string code)
    {
        // S3 presigned PUTs cannot enforce type or size: the coordinator checks the stored object.
        var png = await Assets.PngAsync(Farm, "#808080");
        var asset = await Assets.CreateAsync(Farm.Http, "image/png", png.Length);
        using var put = await Assets.PutAsync(Presigned, asset, [.. png, .. new byte[extraBytes]], uploadedAs);
        Assert.True(put.IsSuccessStatusCode, $"PUT answered {put.StatusCode}");

        var production = await Assets.RenderAsync(Farm.Http, asset["id"]!.GetValue<string>());
        Assert.Equal("FAILED", production["state"]!.GetValue<string>());
        Assert.Equal(code, production["error"]!["code"]!.GetValue<string>());
    }

    internal static async Task<string> RenderColorAsync(HttpClient http, string color)
    {
        var json = Rest.Json(new { canvas = new { width = 160, height = 120, segments = new object[] { new { color = new { color }, duration = 1 } } }, output = new { quality = "DRAFT" } });
        var id = (await Rest.CreateAsync(http, json))["id"]!.GetValue<string>();
        var events = await Rest.ReadEventsAsync(http, id);
        Assert.Equal("SUCCEEDED", events[^1].Data["production"]!["state"]!.GetValue<string>());
        return id;
    }
}

/// <summary>A farm on Garnet (filesystem store) keeping outputs for one second.</summary>
public sealed class RetentionFarmFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;
    public TestFarm Farm { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = RedisServer.StartGarnet();
        Farm = await TestFarm.StartAsync(Server, extra: new Dictionary<string, string?>
        {
            ["RenderFarm:Storage:Retention"] = "00:00:01",
            ["RenderFarm:Storage:RetentionSweepInterval"] = "00:00:00.200",
        });
    }

    public async Task DisposeAsync()
    {
        await Farm.DisposeAsync();
        await Server.DisposeAsync();
    }
}

public sealed class RetentionTests(RetentionFarmFixture fixture) : IClassFixture<RetentionFarmFixture>
{
    [Fact]
    public async Task OutputPastRetention_IsDeleted_AndTheResultSaysExpired()
    {
        var farm = fixture.Farm;
        var id = await S3StorageTests.RenderColorAsync(farm.Http, "#777777");
        var folder = Path.Combine(farm.DataDirectory, "objects", "productions", id);

        await Wait.UntilAsync(async () => (await Rest.GetAsync(farm.Http, id))["result"]?["expired"]?.GetValue<bool>() == true,
            TimeSpan.FromSeconds(30), "the result to expire");
        var result = (await Rest.GetAsync(farm.Http, id))["result"]!;
        Assert.True(string.IsNullOrEmpty(result["url"]?.GetValue<string>()), "no URL once expired");
        Assert.True(long.Parse(result["sizeBytes"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > 0, "the facts stay");
        Assert.False(Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Any(), "the files are gone");
        Assert.Equal("SUCCEEDED", (await Rest.GetAsync(farm.Http, id))["state"]!.GetValue<string>());
    }
}
