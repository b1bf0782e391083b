using Microsoft.Extensions.Options;
using RenderFarm.CanvasModel;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.State;
using RenderFarm.Storage;
using Kind = RenderFarm.Contracts.V1.JobSpec.Types.Kind;

namespace RenderFarm.Coordinator.Scheduling;

/// <summary>
/// The coordinator's side of chunked rendering: a leased production long enough (or asking
/// FIXED) is split into chunk jobs and one sound job instead of going to a node; each part is
/// assigned like any job, into its own folder under the production's pieces; the join gets the
/// pieces' URLs; the pieces are deleted once the production ended.
/// </summary>
internal sealed partial class ChunkedRenders(
    LeaseStore leases,
    IObjectStore store,
    IOptions<ChunkingOptions> options,
    ILogger<ChunkedRenders> logger)
{
    /// <summary>
    /// Splits a leased render into parts when its output and length call for it; false when it
    /// renders in one piece (the caller assigns it as usual).
    /// </summary>
    public async Task<bool> TryFanOutAsync(Lease lease)
    {
        var chunks = ChunkPlanner.Split(lease.Spec, options.Value.MinSeconds, options.Value.ChunkLength.TotalSeconds);
        if (chunks.Count == 0)
        {
            return false;
        }

        var (id, trace) = (lease.ProductionId, lease.Job.Traceparent);
        var parts = chunks.Select((c, i) => (ChunkJobs.PartId(id, ChunkJobs.ChunkName(i)), ChunkJobs.Chunk(id, i, c.Start, c.End, trace), c.End - c.Start)).ToList();
        parts.Add((ChunkJobs.PartId(id, ChunkJobs.SoundName), ChunkJobs.Part(id, Kind.Audio, trace), 0));
        if (await leases.FanOutAsync(lease, $"rendering in {chunks.Count} chunks", ChunkJobs.Part(id, Kind.Join, trace), parts))
        {
            FannedOut(logger, id, chunks.Count, chunks[^1].End);
        }

        return true;
    }

    /// <summary>
    /// Fills in what a part's assignment needs beyond a render's: a chunk's frames and a sound's
    /// WAV output, each with one upload into the part's attempt folder; a join's pieces to read
    /// (false when they are gone: the production ended meanwhile) and its output upload.
    /// </summary>
    public async Task<bool> PrepareAsync(Assignment assignment, Lease lease, TimeSpan ttl, Func<Assignment, string, Task> addUploads)
    {
        var (id, attempt) = (lease.ProductionId, lease.Attempt);
        switch (lease.Job.Kind)
        {
            case Kind.Chunk:
                assignment.Chunk = lease.Job.Chunk;
                await PieceAsync(assignment, ChunkJobs.PieceFolder(id, attempt) + "chunk." + OutputKinds.Extension(assignment.Output.Format), ttl);
                return true;
            case Kind.Audio:
                assignment.Output = new OutputSpec { Format = OutputSpec.Types.Format.Wav };
                await PieceAsync(assignment, ChunkJobs.PieceFolder(id, attempt) + "audio.wav", ttl);
                return true;
            default:
                var pieces = await leases.PiecesAsync(lease.Job.ParentId);
                if (pieces.Count == 0)
                {
                    return false;
                }

                var join = new JoinJob();
                foreach (var key in pieces.SkipLast(1))
                {
                    join.ChunkUrls.Add((await store.PresignGetAsync(key, ttl)).Url.ToString());
                }

                join.AudioUrl = (await store.PresignGetAsync(pieces[^1], ttl)).Url.ToString();
                assignment.Join = join;
                await addUploads(assignment, $"{ProductionStore.ObjectPrefix(lease.Job.ParentId)}j{attempt}/");
                return true;
        }
    }

    /// <summary>
    /// Gives a join's output the transcript a single render would have: the join only copies the
    /// chunks' pictures and muxes the sound, so the words are those the sound's render found on
    /// the whole timeline (each chunk's render found the same, and none is re-synthesised here).
    /// </summary>
    public async Task AddTranscriptAsync(string id, RenderOutput output)
    {
        if (output.Transcript.Count == 0 && ChunkJobs.IsJoin(id) && await leases.SoundOutputAsync(ChunkJobs.ParentOf(id)!) is { } sound)
        {
            output.Transcript.Add(sound.Transcript);
        }
    }

    /// <summary>Deletes a chunked production's pieces once it ended (a deleted or cancelled one's go with its prefix).</summary>
    public async Task CleanUpAsync(PartOutcome outcome)
    {
        if (outcome.Ended)
        {
            var removed = await store.DeletePrefixAsync(ChunkJobs.PiecesPrefix(outcome.Parent));
            PiecesDeleted(logger, outcome.Parent, outcome.Settled, removed);
        }
    }

    private async Task PieceAsync(Assignment assignment, string key, TimeSpan ttl)
    {
        assignment.ObjectKey = key;
        assignment.UploadUrl = (await store.PresignPutAsync(key, ttl)).Url.ToString();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Production {ProductionId} split into {Chunks} chunks of {Frames} frames in all, plus its sound")]
    private static partial void FannedOut(ILogger logger, string productionId, int chunks, long frames);

    [LoggerMessage(Level = LogLevel.Information, Message = "Chunked production {ProductionId} {Outcome}; deleted {Count} pieces")]
    private static partial void PiecesDeleted(ILogger logger, string productionId, string outcome, int count);
}
