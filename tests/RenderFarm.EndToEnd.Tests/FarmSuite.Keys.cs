using System.Net;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.State;
using StackExchange.Redis;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>A key's monthly spend limit, and UpdateApiKey over REST and gRPC.</summary>
public abstract partial class FarmSuite
{
    private static readonly string TwoSeconds = Rest.Json(new { canvas = new { width = 160, height = 120, segments = new object[] { new { color = new { color = "#654321" }, duration = 2 } } } });

    [Fact]
    public async Task KeySpend_StartsAgainAtTheCalendarMonth_AndAnOldMonthsRefundLeavesTheNewOneAlone()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Server.Configuration);
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-31T23:59:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var options = Options.Create(new StateOptions { KeyPrefix = $"m{Unique()}:" });
        var keys = new ApiKeyStore(redis, options, time);
        var usage = new UsageStore(redis, options, time);
        var (key, _) = await keys.CreateAsync("monthly", [ApiKey.Types.Scope.Render], "", spendLimitSeconds: 3);

        var january = await usage.ReserveAsync("monthly", key.Id, 2, monthlyLimit: 0);
        Assert.Null(january.Refusal);
        await usage.AttachAsync(january, "january-production");
        var refused = await usage.ReserveAsync("monthly", key.Id, 2, monthlyLimit: 0);
        Assert.Equal((ErrorReasons.SpendCapExceeded, 2.0, 3.0), (refused.Refusal, refused.Used, refused.Limit));
        Assert.Equal(2, (await keys.GetAsync(key.Id))!.SpentSeconds);

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(0, (await keys.GetAsync(key.Id))!.SpentSeconds);
        Assert.Null((await usage.ReserveAsync("monthly", key.Id, 2, monthlyLimit: 0)).Refusal);
        await usage.RefundProductionAsync("january-production");
        Assert.Equal(2, (await keys.GetAsync(key.Id))!.SpentSeconds);
        refused = await usage.ReserveAsync("monthly", key.Id, 2, monthlyLimit: 0);
        Assert.Equal((ErrorReasons.SpendCapExceeded, 2.0), (refused.Refusal, refused.Used));

        // December 31st to January 1st is a new month too.
        time.Advance(TimeSpan.FromDays(334));
        Assert.Equal("202701", UsagePeriod.Of(time.GetUtcNow()));
        Assert.Equal(0, (await keys.GetAsync(key.Id))!.SpentSeconds);
    }

    [Fact]
    public async Task KeyThatSpentItsLimitLastMonth_CreatesAgain_AndUsageShowsThisMonthsSpend()
    {
        var (_, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/apiKeys",
            Rest.Json(new { tenant = "month-" + Unique(), scopes = new[] { "RENDER" }, spendLimitSeconds = 2 }));
        var id = body!["apiKey"]!["id"]!.GetValue<string>();
        using var http = Farm.HttpFor(body["key"]!.GetValue<string>());
        await Rest.CreateAsync(http, TwoSeconds);
        Assert.Equal("SPEND_CAP_EXCEEDED", Reason((await Rest.SendAsync(http, HttpMethod.Post, "/v1/productions", TwoSeconds)).Body));
        Assert.Equal(2, (await SendOkAsync(http, HttpMethod.Get, "/v1/usage"))["key"]!["spentSeconds"]!.GetValue<double>());

        // The month turns: what the key spent is filed under the month before this one.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Server.Configuration);
        var lastMonth = UsagePeriod.Of(UsagePeriod.Start(DateTimeOffset.UtcNow).AddDays(-1));
        await redis.GetDatabase().HashSetAsync($"{Farm.KeyPrefix}apikey:{id}", "spent_period", lastMonth);
        Assert.Equal(0, (await SendOkAsync(http, HttpMethod.Get, "/v1/usage"))["key"]!["spentSeconds"]?.GetValue<double>() ?? 0);
        await Rest.CreateAsync(http, TwoSeconds);
        Assert.Equal(2, (await SendOkAsync(http, HttpMethod.Get, "/v1/usage"))["key"]!["spentSeconds"]!.GetValue<double>());
        Assert.Equal("SPEND_CAP_EXCEEDED", Reason((await Rest.SendAsync(http, HttpMethod.Post, "/v1/productions", TwoSeconds)).Body));
    }

    [Fact]
    public async Task UpdateApiKey_ChangesLimitAndName_OnlyForAdmins()
    {
        var (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/apiKeys",
            Rest.Json(new { tenant = "patched-" + Unique(), scopes = new[] { "RENDER" }, displayName = "ci", spendLimitSeconds = 1.5 }));
        Assert.Equal(HttpStatusCode.OK, status);
        var id = body!["apiKey"]!["id"]!.GetValue<string>();
        using var capped = Farm.HttpFor(body["key"]!.GetValue<string>());
        Assert.Equal("SPEND_CAP_EXCEEDED", Reason((await Rest.SendAsync(capped, HttpMethod.Post, "/v1/productions", TwoSeconds)).Body));

        var updated = await SendOkAsync(Farm.Http, HttpMethod.Patch, $"/v1/apiKeys/{id}?updateMask=spendLimitSeconds", Rest.Json(new { spendLimitSeconds = 5, displayName = "ignored" }));
        Assert.Equal((5.0, "ci"), (updated["spendLimitSeconds"]!.GetValue<double>(), updated["displayName"]!.GetValue<string>()));
        var production = (await Rest.CreateAsync(capped, TwoSeconds))["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await Rest.SendAsync(capped, HttpMethod.Post, $"/v1/productions/{production}:cancel")).Status);

        // Without a mask, what the body sets; clearing the limit needs the mask.
        updated = await SendOkAsync(Farm.Http, HttpMethod.Patch, $"/v1/apiKeys/{id}", Rest.Json(new { displayName = "renamed" }));
        Assert.Equal((5.0, "renamed"), (updated["spendLimitSeconds"]!.GetValue<double>(), updated["displayName"]!.GetValue<string>()));
        updated = await SendOkAsync(Farm.Http, HttpMethod.Patch, $"/v1/apiKeys/{id}?updateMask=spendLimitSeconds", "{}");
        Assert.Equal(0, updated["spendLimitSeconds"]?.GetValue<double>() ?? 0);
        Assert.Equal(id, (await SendOkAsync(Farm.Http, HttpMethod.Get, "/v1/apiKeys?pageSize=1000"))["apiKeys"]!.AsArray()
            .Single(k => k!["displayName"]?.GetValue<string>() == "renamed")!["id"]!.GetValue<string>());

        foreach (var (path, json, field, reason) in new[]
        {
            ($"/v1/apiKeys/{id}", Rest.Json(new { spendLimitSeconds = -1 }), "apiKey.spendLimitSeconds", "OUT_OF_RANGE"),
            ($"/v1/apiKeys/{id}", Rest.Json(new { displayName = new string('x', 257) }), "apiKey.displayName", "OUT_OF_RANGE"),
            ($"/v1/apiKeys/{id}?updateMask=tenant", Rest.Json(new { tenant = "elsewhere" }), "updateMask", "UNKNOWN_FIELD"),
            ($"/v1/apiKeys/{id}", "{}", "updateMask", "FIELD_REQUIRED"),
        })
        {
            (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Patch, path, json);
            Assert.True(status == HttpStatusCode.BadRequest, $"{json} answered {status}: {body}");
            Assert.Equal((reason, field), (Reason(body), Info(body)!["metadata"]!["field"]!.GetValue<string>()));
        }

        (status, body) = await Rest.SendAsync(Farm.Http, HttpMethod.Patch, "/v1/apiKeys/0123456789abcdef0123456789abcdef", Rest.Json(new { displayName = "x" }));
        Assert.Equal((HttpStatusCode.NotFound, "API_KEY_NOT_FOUND"), (status, Reason(body)));
        (status, body) = await Rest.SendAsync(capped, HttpMethod.Patch, $"/v1/apiKeys/{id}", Rest.Json(new { spendLimitSeconds = 1000 }));
        Assert.Equal((HttpStatusCode.Forbidden, "SCOPE_MISSING"), (status, Reason(body)));

        var client = new KeyService.KeyServiceClient(Farm.Grpc);
        var key = await client.UpdateApiKeyAsync(new UpdateApiKeyRequest
        {
            Id = id,
            ApiKey = new ApiKey { DisplayName = "over grpc", SpendLimitSeconds = 7 },
            UpdateMask = new FieldMask { Paths = { "display_name" } },
        });
        Assert.Equal(("over grpc", 0.0), (key.DisplayName, key.SpendLimitSeconds));
        using var channel = Farm.GrpcFor(await CreateKeyAsync(Farm, "plain-" + Unique(), ["RENDER"]));
        var denied = await Assert.ThrowsAsync<RpcException>(async () =>
            await new KeyService.KeyServiceClient(channel).UpdateApiKeyAsync(new UpdateApiKeyRequest { Id = id, ApiKey = new ApiKey { SpendLimitSeconds = 100 } }));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
    }
}
