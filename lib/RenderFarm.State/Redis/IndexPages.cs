using StackExchange.Redis;

namespace RenderFarm.State;

/// <summary>Pages through a sorted-set index of ids scored by create time, newest first, loading each item.</summary>
internal static class IndexPages
{
    private const int Batch = 100;

    /// <summary>
    /// Up to <paramref name="pageSize"/> items after <paramref name="after"/>, skipping ids
    /// <paramref name="load"/> finds nothing for; the cursor of the next page, or null on the last.
    /// The upper bound stays at the cursor and the offset grows, so a run of items created in the
    /// same millisecond (ordered by id, descending) is paged through, never re-read.
    /// </summary>
    public static async Task<(IReadOnlyList<T> Items, PageCursor? Next)> ReadAsync<T>(
        IDatabase db, string index, int pageSize, PageCursor? after, Func<string, Task<T?>> load) where T : class
    {
        var page = new List<T>(pageSize);
        double max = after?.CreateMs ?? double.PositiveInfinity;
        for (long offset = 0; ; offset += Batch)
        {
            var entries = await db.SortedSetRangeByScoreWithScoresAsync(index, double.NegativeInfinity, max, Exclude.None, Order.Descending, offset, Batch);
            foreach (var entry in entries)
            {
                var id = (string)entry.Element!;
                if ((after is not null && entry.Score == max && string.CompareOrdinal(id, after.Id) >= 0) || await load(id) is not { } item)
                {
                    continue;
                }

                page.Add(item);
                if (page.Count == pageSize)
                {
                    return (page, new PageCursor((long)entry.Score, id));
                }
            }

            if (entries.Length < Batch)
            {
                return (page, null);
            }
        }
    }
}
