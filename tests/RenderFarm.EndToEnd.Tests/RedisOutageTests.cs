using System.Net;
using RenderFarm.Testing;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>A real redis-server (append-only) that dies under the farm and comes back.</summary>
public sealed class RedisOutageTests
{
    [Fact]
    public async Task RedisDown_CallsFailWithStateUnavailable_ThenWorkResumesAfterRestart()
    {
        await using var redis = await RedisServer.StartRedisAsync(appendOnly: true);
        await using var farm = await TestFarm.StartAsync(redis, nodes: 1);
        var json = Rest.Json(new { canvas = new { width = 160, height = 120, segments = new object[] { new { color = new { color = "#445566" }, duration = 1 } } } });
        var before = (await Rest.CreateAsync(farm.Http, json))["id"]!.GetValue<string>();
        await Rest.ReadEventsAsync(farm.Http, before);

        redis.Kill();
        var (status, body) = await Rest.SendAsync(farm.Http, HttpMethod.Post, "/v1/productions", json);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains(body!["details"]!.AsArray(), d => d!["reason"]?.GetValue<string>() == "STATE_UNAVAILABLE");
        var ready = await Rest.SendAsync(farm.Http, HttpMethod.Get, "/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
        var events = await Rest.SendAsync(farm.Http, HttpMethod.Get, $"/v1/productions/{before}/events");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, events.Status);

        await redis.RestartAsync();
        await RendersAgainAsync(farm, json, before);
    }

    [Fact]
    public async Task RedisHung_LongerThanTheClientTimeout_TheFarmRidesItOut_AndRendersAfter()
    {
        await using var redis = await RedisServer.StartRedisAsync(appendOnly: true);
        await using var farm = await TestFarm.StartAsync(redis, nodes: 1);
        var json = Rest.Json(new { canvas = new { width = 160, height = 120, segments = new object[] { new { color = new { color = "#665544" }, duration = 1 } } } });
        var before = (await Rest.CreateAsync(farm.Http, json))["id"]!.GetValue<string>();
        await Rest.ReadEventsAsync(farm.Http, before);

        // Frozen past the client's 5 s timeout: every background loop (reaper, dispatcher, webhook
        // outbox, gauges, stream leases) sees its commands time out or be abandoned on reconnect.
        await redis.PauseAsync();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(12));
        }
        finally
        {
            await redis.ResumeAsync();
        }

        await RendersAgainAsync(farm, json, before);
    }

    // Once redis answers again, a new production renders and the one finished before is intact.
    private static async Task RendersAgainAsync(TestFarm farm, string json, string before)
    {
        string? after = null;
        await Wait.UntilAsync(async () =>
        {
            var (s, b) = await Rest.SendAsync(farm.Http, HttpMethod.Post, "/v1/productions", json);
            after = s == HttpStatusCode.OK ? b!["id"]!.GetValue<string>() : null;
            return after is not null;
        }, TimeSpan.FromSeconds(60), "the farm to reach redis again");
        var resumed = await Rest.ReadEventsAsync(farm.Http, after!, timeout: TimeSpan.FromMinutes(1));
        Assert.Equal("SUCCEEDED", resumed[^1].Data["production"]!["state"]!.GetValue<string>());
        Assert.Equal("SUCCEEDED", (await Rest.GetAsync(farm.Http, before))["state"]!.GetValue<string>());
    }
}

