using System.Globalization;
using System.Net;
using Grpc.Core;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RenderFarm.State;
using RenderFarm.Testing;
using StackExchange.Redis;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>Limits that fit reading: reads, writes and open streams each have their own budget per key.</summary>
public abstract partial class FarmSuite
{
    [Fact]
    public async Task DefaultLimits_Let200ViewersWatchOneProduction_AndAPollerReadFarPastTheWriteBurst()
    {
        var defaults = new TenantOptions().Defaults;
        await using var farm = await TestFarm.StartAsync(Server, nodes: 0, new Dictionary<string, string?>
        {
            // The shipped defaults, in place of the generous ones every other test farm gets.
            ["RenderFarm:Tenants:Defaults:RequestsPerMinute"] = Invariant(defaults.RequestsPerMinute!.Value),
            ["RenderFarm:Tenants:Defaults:Burst"] = Invariant(defaults.Burst!.Value),
            ["RenderFarm:Tenants:Defaults:ReadsPerMinute"] = Invariant(defaults.ReadsPerMinute!.Value),
            ["RenderFarm:Tenants:Defaults:ReadBurst"] = Invariant(defaults.ReadBurst!.Value),
        });
        using var http = farm.HttpFor(await CreateKeyAsync(farm, "viewers-" + Unique(), ["RENDER"]));
        var id = (await Rest.CreateAsync(http, LimitsCanvas))["id"]!.GetValue<string>();

        var viewers = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ =>
            http.GetAsync($"/v1/productions/{id}/events", HttpCompletionOption.ResponseHeadersRead)));
        try
        {
            var statuses = viewers.GroupBy(v => v.StatusCode).ToDictionary(g => g.Key, g => g.Count());
            Assert.True(statuses.Keys.SequenceEqual([HttpStatusCode.OK]), $"200 viewers got {string.Join(", ", statuses.Select(s => $"{s.Value} × {(int)s.Key}"))}");
        }
        finally
        {
            foreach (var viewer in viewers)
            {
                viewer.Dispose();
            }
        }

        // Twice the write burst of reads in a row, as a client polling the production does.
        for (var i = 0; i < 2 * defaults.Burst!.Value; i++)
        {
            using var poll = await http.GetAsync($"/v1/productions/{id}");
            Assert.True(poll.StatusCode == HttpStatusCode.OK, $"read {i + 1} answered {(int)poll.StatusCode}");
        }
    }

    [Fact]
    public async Task ReadsAndWrites_DrainSeparateBuckets()
    {
        var tenant = "split-" + Unique();
        await using var farm = await TestFarm.StartAsync(Server, nodes: 0, new Dictionary<string, string?>
        {
            [$"RenderFarm:Tenants:Overrides:{tenant}:ReadsPerMinute"] = "1",
            [$"RenderFarm:Tenants:Overrides:{tenant}:ReadBurst"] = "3",
            [$"RenderFarm:Tenants:Overrides:{tenant}:RequestsPerMinute"] = "1",
            [$"RenderFarm:Tenants:Overrides:{tenant}:Burst"] = "2",
        });
        using var http = farm.HttpFor(await CreateKeyAsync(farm, tenant, ["RENDER"]));
        for (var i = 0; i < 3; i++)
        {
            using var read = await http.GetAsync("/v1/productions");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal("3", read.Headers.GetValues("X-RateLimit-Limit").Single());
        }

        var (status, body) = await Rest.SendAsync(http, HttpMethod.Get, "/v1/productions");
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal(("RATE_LIMITED", "reads"), (Reason(body), Info(body)!["metadata"]!["budget"]!.GetValue<string>()));

        // Reads spent, writes untouched: its own bucket of 2.
        for (var i = 0; i < 2; i++)
        {
            using var write = await http.PostAsync("/v1/productions", new StringContent(LimitsCanvas, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, write.StatusCode);
            Assert.Equal(("2", (1 - i).ToString(CultureInfo.InvariantCulture)),
                (write.Headers.GetValues("X-RateLimit-Limit").Single(), write.Headers.GetValues("X-RateLimit-Remaining").Single()));
        }

        (status, body) = await Rest.SendAsync(http, HttpMethod.Post, "/v1/productions", LimitsCanvas);
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal(("RATE_LIMITED", "writes"), (Reason(body), Info(body)!["metadata"]!["budget"]!.GetValue<string>()));
    }

    [Fact]
    public async Task StreamCap_RefusesTheStreamPastIt_OnSseAndGrpc_AndAClosedStreamFreesItsSlot()
    {
        var tenant = "streams-" + Unique();
        await using var farm = await TestFarm.StartAsync(Server, nodes: 0, new Dictionary<string, string?>
        {
            [$"RenderFarm:Tenants:Overrides:{tenant}:MaxStreams"] = "2",
        });
        var key = await CreateKeyAsync(farm, tenant, ["RENDER"]);
        using var http = farm.HttpFor(key);
        var id = (await Rest.CreateAsync(http, LimitsCanvas))["id"]!.GetValue<string>();
        var events = $"/v1/productions/{id}/events";

        var first = await http.GetAsync(events, HttpCompletionOption.ResponseHeadersRead);
        using var second = await http.GetAsync(events, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));

        var (status, body) = await Rest.SendAsync(http, HttpMethod.Get, events);
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal(("RATE_LIMITED", "streams", "2"), (Reason(body), Info(body)!["metadata"]!["budget"]!.GetValue<string>(),
            Info(body)!["metadata"]!["maxStreams"]!.GetValue<string>()));

        using var channel = farm.GrpcFor(key);
        using var watch = new ProductionService.ProductionServiceClient(channel).WatchProduction(new WatchProductionRequest { Id = id });
        var e = await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext());
        Assert.Equal((StatusCode.ResourceExhausted, "RATE_LIMITED"), (e.StatusCode, e.GetErrorInfo()?.Reason));

        // Operators see the refusals by budget.
        var metrics = await farm.Http.GetStringAsync("/metrics");
        Assert.Contains("renderfarm_facade_rate_limited_total{budget=\"streams\"}", metrics, StringComparison.Ordinal);

        // Reads are not streams: they still go through.
        Assert.Equal(HttpStatusCode.OK, (await Rest.SendAsync(http, HttpMethod.Get, $"/v1/productions/{id}")).Status);

        first.Dispose();
        await Wait.UntilAsync(async () =>
        {
            var again = await http.GetAsync(events, HttpCompletionOption.ResponseHeadersRead);
            var opened = again.StatusCode == HttpStatusCode.OK;
            again.Dispose();
            return opened;
        }, TimeSpan.FromSeconds(30), "a closed stream's slot to be free again");
    }

    [Fact]
    public async Task StreamSlots_OfAFacadeThatStoppedRenewing_LapseAfterTheLease_WhileRenewedOnesHold()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Server.Configuration);
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-01T00:00:00Z", CultureInfo.InvariantCulture));
        var options = Options.Create(new StateOptions { KeyPrefix = $"s{Unique()}:" });
        var live = new StreamSlots(redis, options, time);
        var dead = new StreamSlots(redis, options, time);
        var held = await live.OpenAsync("k", 2);
        Assert.True((await dead.OpenAsync("k", 2)).Allowed);
        var refused = await live.OpenAsync("k", 2);
        Assert.Equal((false, 2), (refused.Allowed, refused.Open));

        // Only the live facade renews; the other's slot lapses with its lease.
        time.Advance(StreamSlots.Lease / 2);
        await live.RenewAsync();
        time.Advance(StreamSlots.Lease / 2 + TimeSpan.FromSeconds(1));
        var reopened = await live.OpenAsync("k", 2);
        Assert.Equal((true, 2), (reopened.Allowed, reopened.Open));

        // Closing a stream frees its slot at once.
        await held.Slot!.DisposeAsync();
        var after = await live.OpenAsync("k", 2);
        Assert.Equal((true, 2), (after.Allowed, after.Open));
        Assert.Equal(2, live.OpenCount);
    }

    private static readonly string LimitsCanvas =
        Rest.Json(new { canvas = new { width = 160, height = 120, segments = new object[] { new { color = new { color = "#203040" }, duration = 1 } } } });

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
