using RenderFarm.Contracts.V1;
using StackExchange.Redis;

namespace RenderFarm.State;

/// <summary>
/// What follows from a stored job's <see cref="JobSpec.Types.Kind"/>: where it is filed, and how
/// it is stored. A job's record keeps its kind twice: as <c>kind</c> (the name, which the scripts
/// compare: only RENDER jobs enter the tenant's listing index) and inside <c>job</c> (the whole
/// <see cref="JobSpec"/>, with the kind's payload, which C# reads).
/// </summary>
public static class JobKinds
{
    private const string PreviewAccount = "~previews";
    private const string PartsAccount = "~parts";

    /// <summary>The spec of a production's render: what a job created without a spec is.</summary>
    public static JobSpec Render() => new() { Kind = JobSpec.Types.Kind.Render };

    /// <summary>The spec of a plan's preview job rendering stills at <paramref name="times"/>.</summary>
    public static JobSpec Preview(IEnumerable<double> times) =>
        new() { Kind = JobSpec.Types.Kind.Preview, Preview = new PreviewStills { Times = { times } } };

    /// <summary>
    /// The account a <paramref name="tenant"/>'s job of <paramref name="kind"/> is queued and
    /// counted under (idempotency keys, queue limit, running cap, fair share). A plan's previews
    /// have one of their own, so they never count against the tenant's queue nor wait behind its
    /// renders; the record's tenant field holds the account.
    /// </summary>
    public static string Account(string tenant, JobSpec.Types.Kind kind) => tenant + Suffix(kind);

    /// <summary>The tenant a job of <paramref name="kind"/> filed under <paramref name="account"/> works for.</summary>
    public static string Owner(string account, JobSpec.Types.Kind kind) =>
        Suffix(kind) is { Length: > 0 } suffix && account.EndsWith(suffix, StringComparison.Ordinal)
            ? account[..^suffix.Length]
            : account;

    /// <summary>Whether <paramref name="kind"/> is a part of a chunked production (a chunk, its sound, its join).</summary>
    public static bool IsPart(JobSpec.Types.Kind kind) =>
        kind is JobSpec.Types.Kind.Chunk or JobSpec.Types.Kind.Audio or JobSpec.Types.Kind.Join;

    // A plan's previews, and a chunked production's parts (which run while the production holds
    // one running slot), each have an account of their own.
    private static string Suffix(JobSpec.Types.Kind kind) => kind switch
    {
        JobSpec.Types.Kind.Preview => PreviewAccount,
        _ when IsPart(kind) => PartsAccount,
        _ => "",
    };

    /// <summary>The kind's name as the record's <c>kind</c> field holds it ("RENDER", "PREVIEW").</summary>
    internal static string Name(JobSpec.Types.Kind kind) =>
        JobSpec.Descriptor.EnumTypes[0].FindValueByNumber((int)kind).Name;

    /// <summary>The spec in a record's <c>job</c> field; a record without one is a render.</summary>
    internal static JobSpec Read(RedisValue stored) =>
        Normalize(stored.IsNullOrEmpty ? null : JobSpec.Parser.ParseFrom((byte[])stored!));

    /// <summary>The spec as stored: never KIND_UNSPECIFIED.</summary>
    internal static JobSpec Normalize(JobSpec? job)
    {
        job = job?.Clone() ?? Render();
        if (job.Kind == JobSpec.Types.Kind.Unspecified)
        {
            job.Kind = JobSpec.Types.Kind.Render;
        }

        return job;
    }
}
