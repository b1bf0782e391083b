using RenderFarm.Contracts.V1;

namespace RenderFarm.State;

/// <summary>
/// The parts of a chunked production: one CHUNK job per frame range, one AUDIO job for the whole
/// sound, then one JOIN job. A part's id is its production's id, '~' and the part's name; its
/// pieces live under the production's storage prefix (<see cref="PiecesPrefix"/>), so deleting
/// or cancelling the production removes them with the rest.
/// </summary>
public static class ChunkJobs
{
    private const char Separator = '~';

    /// <summary>The name of a production's sound part.</summary>
    public const string SoundName = "audio";

    /// <summary>The name of a production's join part (settle_parent in prelude.lua queues it under this name).</summary>
    public const string JoinName = "join";

    /// <summary>The id of <paramref name="parent"/>'s part <paramref name="name"/> ("c000", "audio", "join").</summary>
    public static string PartId(string parent, string name) => $"{parent}{Separator}{name}";

    /// <summary>The production a part belongs to; null for a job that is no part.</summary>
    public static string? ParentOf(string id) => id.IndexOf(Separator, StringComparison.Ordinal) is > 0 and var at ? id[..at] : null;

    /// <summary>Whether <paramref name="id"/> is a chunked production's join.</summary>
    public static bool IsJoin(string id) => ParentOf(id) is { } parent && id == PartId(parent, JoinName);

    /// <summary>Where a job's files may be written: a part's under its production's prefix.</summary>
    public static string StoragePrefix(string id) => ProductionStore.ObjectPrefix(ParentOf(id) ?? id);

    /// <summary>Where the pieces (chunks, sound) of a chunked production live until the join.</summary>
    public static string PiecesPrefix(string parent) => ProductionStore.ObjectPrefix(parent) + "parts/";

    /// <summary>The folder of one attempt of a part's piece.</summary>
    public static string PieceFolder(string partId, int attempt) =>
        $"{PiecesPrefix(ParentOf(partId) ?? partId)}{partId[(partId.IndexOf(Separator, StringComparison.Ordinal) + 1)..]}/{attempt}/";

    /// <summary>The spec of chunk <paramref name="index"/>: frames [start, end).</summary>
    public static JobSpec Chunk(string parent, int index, long start, long end, string traceparent) => new()
    {
        Kind = JobSpec.Types.Kind.Chunk,
        ParentId = parent,
        Traceparent = traceparent,
        Chunk = new ChunkFrames { Index = index, StartFrame = start, EndFrame = end },
    };

    /// <summary>The spec of a part without payload: the sound or the join.</summary>
    public static JobSpec Part(string parent, JobSpec.Types.Kind kind, string traceparent) =>
        new() { Kind = kind, ParentId = parent, Traceparent = traceparent };

    /// <summary>The name of chunk <paramref name="index"/>'s part: ordered as the chunks are.</summary>
    public static string ChunkName(int index) => $"c{index:000}";
}
