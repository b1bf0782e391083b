using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts.V1;
using RenderFarm.Testing;

namespace RenderFarm.State.Tests;

/// <summary>The template scripts: per-tenant limit, revisions that let one of racing updates win, deletes that stay deleted; run on each server kind.</summary>
public abstract class TemplateScriptTests(RedisServer server)
{
    [Fact]
    public async Task Create_StopsAtTheTenantLimit_EvenWhenCreatesRace()
    {
        await using var h = await StateHarness.ConnectAsync(server);
        var store = Store(h);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => store.CreateAsync("t1", New(h), maxPerTenant: 5)));

        // Never more than the limit (on Garnet, racing creates past it may all be refused); one at a time they fill it.
        Assert.InRange(results.Count(r => r), 0, 5);
        for (var i = 0; i < 10 && await store.CreateAsync("t1", New(h), maxPerTenant: 5); i++)
        {
        }

        var (items, _) = await store.ListAsync("t1", 100, null);
        Assert.Equal(5, items.Count);
        Assert.True(await store.CreateAsync("t2", New(h), maxPerTenant: 5), "another tenant has a limit of its own");
    }

    [Fact]
    public async Task RacingUpdates_FromOneRevision_OnlyOneWins()
    {
        await using var h = await StateHarness.ConnectAsync(server);
        var store = Store(h);
        var template = New(h);
        await store.CreateAsync("t1", template, 0);
        var read = (await store.GetAsync("t1", template.Id))!;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
        {
            var edit = read.Clone();
            edit.DisplayName = $"edit {i}";
            return store.UpdateAsync("t1", edit, read.Etag);
        }));

        var winner = Assert.Single(outcomes, o => o.Etag is not null);
        Assert.All(outcomes.Where(o => o != winner), o => Assert.False(o.Missing));
        var stored = (await store.GetAsync("t1", template.Id))!;
        Assert.StartsWith("edit ", stored.DisplayName, StringComparison.Ordinal);
        Assert.Equal(UpdateOutcome.Changed, await store.UpdateAsync("t1", stored, read.Etag));
        Assert.NotNull((await store.UpdateAsync("t1", stored, stored.Etag)).Etag);
    }

    [Fact]
    public async Task OtherTenants_CannotReadUpdateOrDelete_AndDeletedStaysDeleted()
    {
        await using var h = await StateHarness.ConnectAsync(server);
        var store = Store(h);
        var template = New(h);
        await store.CreateAsync("t1", template, 0);
        var read = (await store.GetAsync("t1", template.Id))!;

        Assert.Null(await store.GetAsync("t2", template.Id));
        Assert.True((await store.UpdateAsync("t2", read, read.Etag)).Missing);
        Assert.False(await store.DeleteAsync("t2", template.Id));
        Assert.NotNull(await store.GetAsync("t1", template.Id));

        Assert.True(await store.DeleteAsync("t1", template.Id));
        Assert.True((await store.UpdateAsync("t1", read, read.Etag)).Missing);
        Assert.Null(await store.GetAsync("t1", template.Id));
        Assert.False(await h.Redis.GetDatabase().KeyExistsAsync($"{h.Prefix}template:{template.Id}"));
        Assert.False(await store.DeleteAsync("t1", template.Id));
    }

    private static TemplateStore Store(StateHarness h) => new(h.Redis, Options.Create(new StateOptions { KeyPrefix = h.Prefix }), h.Clock);

    private static Template New(StateHarness h)
    {
        var id = Guid.CreateVersion7().ToString("N");
        return new Template
        {
            Id = id,
            Name = $"templates/{id}",
            Canvas = StateHarness.Request().Canvas,
            CreateTime = Timestamp.FromDateTimeOffset(h.Clock.GetUtcNow()),
        };
    }
}

public sealed class TemplateScriptsOnGarnet(GarnetServerFixture fixture) : TemplateScriptTests(fixture.Server), IClassFixture<GarnetServerFixture>;

public sealed class TemplateScriptsOnRedis(RedisServerFixture fixture) : TemplateScriptTests(fixture.Server), IClassFixture<RedisServerFixture>;
