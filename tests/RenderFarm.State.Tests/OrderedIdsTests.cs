namespace RenderFarm.State.Tests;

public sealed class OrderedIdsTests
{
    [Fact]
    public void Ids_SortInTheOrderTheyWereMade_AlsoWithinAMillisecond()
    {
        var ids = Enumerable.Range(0, 20_000).Select(_ => OrderedIds.Next()).ToList();
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        // Still a UUIDv7 whose timestamp is now.
        var guid = Guid.ParseExact(ids[^1], "N");
        Assert.Equal(7, guid.Version);
        var ms = Convert.ToInt64(ids[^1][..12], 16);
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - ms, -1000, 60_000);
    }
}
