using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Grpc.Core;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Testing;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>Assets over REST and gRPC: batch create, page, read and delete per tenant; a deleted asset's bytes and references.</summary>
public abstract partial class FarmSuite
{
    [Fact]
    public async Task Assets_BatchCreateListGetDelete_PerTenant_FreesBytesOnDisk()
    {
        using var mine = Farm.HttpFor(await CreateKeyAsync(Farm, "assets-a-" + Unique(), ["RENDER"]));
        using var theirs = Farm.HttpFor(await CreateKeyAsync(Farm, "assets-b-" + Unique(), ["RENDER"]));
        var png = await Assets.PngAsync(Farm, "#2040C0");
        var created = (await SendOkAsync(mine, HttpMethod.Post, "/v1/assets:batchCreate", Rest.Json(new
        {
            requests = new object[]
            {
                new { contentType = "image/png", sizeBytes = png.Length, displayName = "logo" },
                new { contentType = "audio/mpeg", sizeBytes = 1000, displayName = "music" },
                new { contentType = "font/ttf", sizeBytes = 2000 },
            },
        })))["assets"]!.AsArray();
        Assert.Equal(["logo", "music", ""], created.Select(a => a!["displayName"]?.GetValue<string>() ?? ""));
        Assert.All(created, a => Assert.StartsWith("http", a!["uploadUrl"]!.GetValue<string>(), StringComparison.Ordinal));
        var ids = created.Select(a => a!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(png.Length + 3000, await StoredBytesAsync(mine));
        using (var put = await Assets.PutAsync(mine, created[0]!, png, "image/png"))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        // Newest first, two to a page; the other tenant sees none of them.
        var first = await SendOkAsync(mine, HttpMethod.Get, "/v1/assets?pageSize=2");
        var token = first["nextPageToken"]!.GetValue<string>();
        var second = await SendOkAsync(mine, HttpMethod.Get, $"/v1/assets?pageSize=2&pageToken={Uri.EscapeDataString(token)}");
        Assert.Equal(Enumerable.Reverse(ids), first["assets"]!.AsArray().Concat(second["assets"]!.AsArray()).Select(a => a!["id"]!.GetValue<string>()));
        Assert.True(string.IsNullOrEmpty(second["nextPageToken"]?.GetValue<string>()));
        Assert.True(string.IsNullOrEmpty(first["assets"]![0]!["uploadUrl"]?.GetValue<string>()), "only a create hands out an upload URL");
        Assert.Empty(await AssetIdsAsync(theirs));
        AssertInvalidToken(await Rest.SendAsync(theirs, HttpMethod.Get, $"/v1/assets?pageSize=2&pageToken={Uri.EscapeDataString(token)}"));

        var got = await SendOkAsync(mine, HttpMethod.Get, $"/v1/assets/{ids[0]}");
        Assert.Equal(($"assets/{ids[0]}", "image/png", png.Length.ToString(CultureInfo.InvariantCulture)),
            (got["name"]!.GetValue<string>(), got["contentType"]!.GetValue<string>(), got["sizeBytes"]!.GetValue<string>()));
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Delete })
        {
            AssertNotFound(await Rest.SendAsync(theirs, method, $"/v1/assets/{ids[0]}"));
        }

        var folder = Path.Combine(Farm.DataDirectory, "objects", "assets", ids[0]);
        Assert.NotEmpty(Directory.GetFiles(folder));
        Assert.Equal(HttpStatusCode.OK, (await Rest.SendAsync(mine, HttpMethod.Delete, $"/v1/assets/{ids[0]}")).Status);
        Assert.False(Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any(), "the asset's bytes are gone from disk");
        Assert.Equal(3000, await StoredBytesAsync(mine));
        AssertNotFound(await Rest.SendAsync(mine, HttpMethod.Get, $"/v1/assets/{ids[0]}"));
        AssertNotFound(await Rest.SendAsync(mine, HttpMethod.Delete, $"/v1/assets/{ids[0]}"));
        Assert.Equal(ids.Skip(1).Reverse(), await AssetIdsAsync(mine));
    }

    [Fact]
    public async Task BatchCreateAssets_Of51_OrWithOneBadRequest_CreatesNone_NamingTheField()
    {
        using var http = Farm.HttpFor(await CreateKeyAsync(Farm, "batch-" + Unique(), ["PLAN"]));
        var tooMany = Rest.Json(new { requests = Enumerable.Range(0, 51).Select(_ => new { contentType = "image/png", sizeBytes = 10 }) });
        var (status, body) = await Rest.SendAsync(http, HttpMethod.Post, "/v1/assets:batchCreate", tooMany);
        Assert.Equal((HttpStatusCode.BadRequest, "LIMIT_EXCEEDED", "requests"), (status, Reason(body), Info(body)!["metadata"]!["field"]!.GetValue<string>()));

        var oneBad = Rest.Json(new { requests = new object[] { new { contentType = "image/png", sizeBytes = 10 }, new { contentType = "text/html", sizeBytes = 10 } } });
        (status, body) = await Rest.SendAsync(http, HttpMethod.Post, "/v1/assets:batchCreate", oneBad);
        Assert.Equal((HttpStatusCode.BadRequest, "UNSUPPORTED_ASSET_TYPE", "requests[1].contentType"),
            (status, Reason(body), Info(body)!["metadata"]!["field"]!.GetValue<string>()));
        Assert.Empty(await AssetIdsAsync(http));
        Assert.Equal(0, await StoredBytesAsync(http));

        var fifty = Rest.Json(new { requests = Enumerable.Range(0, 50).Select(i => new { contentType = "image/png", sizeBytes = 10, displayName = $"frame {i}" }) });
        var assets = (await SendOkAsync(http, HttpMethod.Post, "/v1/assets:batchCreate", fifty))["assets"]!.AsArray();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"frame {i}"), assets.Select(a => a!["displayName"]!.GetValue<string>()));
        Assert.Equal(50, assets.Select(a => a!["id"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(500, await StoredBytesAsync(http));
    }

    [Fact]
    public async Task DeletedAsset_RefusesNewProductions_AndFailsAQueuedOne_NamingTheField()
    {
        var png = await Assets.PngAsync(Farm, "#C0A020");
        var asset = await Assets.CreateAsync(Farm.Http, "image/png", png.Length);
        var id = asset["id"]!.GetValue<string>();
        using (var put = await Assets.PutAsync(Farm.Http, asset, png, "image/png"))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        // Only a node of this pool may run it, and none is connected yet: it waits in the queue.
        var pool = "assets-" + Unique();
        var queued = (await Rest.CreateAsync(Farm.Http, Rest.Json(new
        {
            canvas = Assets.Canvas(id),
            output = new { quality = "DRAFT" },
            placement = new { required = new { labels = new Dictionary<string, string> { ["pool"] = pool } } },
        })))["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await Rest.SendAsync(Farm.Http, HttpMethod.Delete, $"/v1/assets/{id}")).Status);

        foreach (var route in new[] { "/v1/productions", "/v1/plans" })
        {
            var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, route, Rest.Json(new { canvas = Assets.Canvas(id) }));
            Assert.Equal((HttpStatusCode.BadRequest, "ASSET_NOT_FOUND", "canvas.segments[0].image.src"),
                (status, Reason(body), Info(body)!["metadata"]!["field"]!.GetValue<string>()));
        }

        await using var node = await RawNode.ConnectAsync(Farm, new NodeHello
        {
            NodeId = pool,
            Slots = 1,
            Capabilities = new NodeCapabilities { Encoders = { "libx264" } },
            Labels = { ["pool"] = pool },
        });
        var events = await Rest.ReadEventsAsync(Farm.Http, queued);
        var failed = events[^1].Data["production"]!;
        Assert.Equal("FAILED", failed["state"]!.GetValue<string>());
        Assert.Equal("ASSET_NOT_FOUND", failed["error"]!["code"]!.GetValue<string>());
        Assert.StartsWith("canvas.segments[0].image.src:", failed["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LateUpload_ToADeletedAsset_IsDeletedOnceItsUploadUrlExpires()
    {
        await using var farm = await TestFarm.StartAsync(Server, nodes: 0, new Dictionary<string, string?>
        {
            ["RenderFarm:Assets:UploadUrlTtl"] = "00:00:02",
            ["RenderFarm:Storage:RetentionSweepInterval"] = "00:00:00.200",
        });
        var asset = await Assets.CreateAsync(farm.Http, "image/png", 100);
        var id = asset["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await Rest.SendAsync(farm.Http, HttpMethod.Delete, $"/v1/assets/{id}")).Status);

        // The upload URL was handed out before the delete: it still stores bytes until it expires.
        using (var put = await Assets.PutAsync(farm.Http, asset, new byte[100], "image/png"))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var folder = Path.Combine(farm.DataDirectory, "objects", "assets", id);
        Assert.NotEmpty(Directory.GetFiles(folder));
        await Wait.UntilAsync(() => Task.FromResult(!Directory.Exists(folder) || Directory.GetFiles(folder).Length == 0),
            TimeSpan.FromSeconds(30), "the late upload to be deleted");
    }

    [Fact]
    public async Task Assets_OverGrpc_ListGetDelete_AndAnotherTenantsIsNotFound()
    {
        var client = new AssetService.AssetServiceClient(Farm.Grpc);
        var batch = await client.BatchCreateAssetsAsync(new BatchCreateAssetsRequest
        {
            Requests = { new CreateAssetRequest { ContentType = "video/mp4", SizeBytes = 5000 }, new CreateAssetRequest { ContentType = "audio/wav", SizeBytes = 6000 } },
        });
        Assert.Equal(2, batch.Assets.Count);
        var id = batch.Assets[1].Id;
        Assert.Equal("audio/wav", (await client.GetAssetAsync(new GetAssetRequest { Id = id })).ContentType);
        var listed = await client.ListAssetsAsync(new ListAssetsRequest { PageSize = 1 });
        Assert.Equal(id, listed.Assets.Single().Id);
        Assert.NotEmpty(listed.NextPageToken);

        using var otherChannel = Farm.GrpcFor(await CreateKeyAsync(Farm, "grpc-assets-" + Unique(), ["RENDER"]));
        var other = new AssetService.AssetServiceClient(otherChannel);
        var e = await Assert.ThrowsAsync<RpcException>(async () => await other.GetAssetAsync(new GetAssetRequest { Id = id }));
        Assert.Equal((StatusCode.NotFound, ErrorReasons.AssetNotFound), (e.StatusCode, e.GetErrorInfo()?.Reason));
        e = await Assert.ThrowsAsync<RpcException>(async () => await other.DeleteAssetAsync(new DeleteAssetRequest { Id = id }));
        Assert.Equal(StatusCode.NotFound, e.StatusCode);

        await client.DeleteAssetAsync(new DeleteAssetRequest { Id = id });
        e = await Assert.ThrowsAsync<RpcException>(async () => await client.GetAssetAsync(new GetAssetRequest { Id = id }));
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
    }

    private static async Task<List<string>> AssetIdsAsync(HttpClient http) =>
        [.. (await SendOkAsync(http, HttpMethod.Get, "/v1/assets"))["assets"]?.AsArray().Select(a => a!["id"]!.GetValue<string>()) ?? []];

    private static async Task<long> StoredBytesAsync(HttpClient http) =>
        long.Parse((await SendOkAsync(http, HttpMethod.Get, "/v1/usage"))["storedBytes"]?.GetValue<string>() ?? "0", CultureInfo.InvariantCulture);

    private static void AssertNotFound((HttpStatusCode Status, JsonNode? Body) response)
    {
        Assert.True(response.Status == HttpStatusCode.NotFound, $"answered {response.Status}: {response.Body}");
        Assert.Equal("ASSET_NOT_FOUND", Reason(response.Body));
    }

    private static void AssertInvalidToken((HttpStatusCode Status, JsonNode? Body) response) =>
        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_PAGE_TOKEN"), (response.Status, Reason(response.Body)));
}
