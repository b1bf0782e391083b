using System.Diagnostics;
using System.Net.Http.Headers;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using RenderFarm.CanvasModel;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Node.Rendering;

namespace RenderFarm.Node.Agent;

/// <summary>Runs one assignment: render into a scratch folder, upload to the presigned URLs, describe the result.</summary>
internal sealed partial class JobRunner(
    IRenderer renderer,
    IHttpClientFactory http,
    IOptions<NodeOptions> options,
    TimeProvider time,
    ILogger<JobRunner> logger)
{
    public const string UploadClient = "renderfarm-upload";

    /// <summary>Renders and uploads; cancellation kills the render and leaves nothing behind.</summary>
    public async Task<RenderResult> RunAsync(Assignment assignment, IReadOnlyCollection<string> encoders, Action<RenderStatus> report, CancellationToken ct,
        IReadOnlyCollection<string>? gpuDecoders = null)
    {
        var work = Path.Combine(options.Value.WorkDirectory, $"{assignment.ProductionId}-{assignment.Attempt}");
        Directory.CreateDirectory(work);
        var started = time.GetTimestamp();
        var result = new RenderResult { ProductionId = assignment.ProductionId, LeaseToken = assignment.LeaseToken };
        // A child of the coordinator's dispatch span, carried in the assignment over the node stream.
        using var span = FarmTracing.Node.StartFrom("render", assignment.Traceparent, ActivityKind.Consumer);
        span?.SetTag("renderfarm.production_id", assignment.ProductionId);
        span?.SetTag("renderfarm.attempt", assignment.Attempt);
        try
        {
            var request = new RenderRequest(assignment.ProductionId, assignment.Canvas, assignment.Output ?? new OutputSpec(), work, encoders, assignment.RequiredEncoders, assignment.Renditions)
            {
                GpuDecoders = gpuDecoders ?? [],
            };
            if (assignment.Preview is { } preview)
            {
                result.Output = await PreviewAsync(request, preview, report, ct);
                result.Output.RenderTime = Duration.FromTimeSpan(time.GetElapsedTime(started));
                return result;
            }

            var files = assignment.Join is { } join
                ? await JoinAsync(request, join, report, ct)
                : await renderer.RenderAsync(request with { Chunk = assignment.Chunk }, new Progress<RenderStatus>(report), ct);
            report(new RenderStatus("uploading", 1, 0));
            if (assignment.UploadUrl.Length > 0)
            {
                // A PNG/JPEG output has none: its stills are the output.
                await UploadAsync(files.OutputPath, assignment.UploadUrl, files.ContentType, ct);
            }
            if (files.PosterPath is not null && assignment.PosterUploadUrl.Length > 0)
            {
                await UploadAsync(files.PosterPath, assignment.PosterUploadUrl, "image/jpeg", ct);
            }
            var extras = await UploadExtrasAsync(files, assignment, ct);
            var renditions = await UploadRenditionsAsync(files, assignment, ct);

            var facts = files.Facts;
            result.Output = new RenderOutput
            {
                ObjectKey = assignment.ObjectKey,
                SizeBytes = facts.SizeBytes,
                Duration = facts.Duration,
                Width = facts.Width,
                Height = facts.Height,
                Fps = facts.Fps,
                ContentType = files.ContentType,
                VideoCodec = facts.VideoCodec,
                AudioCodec = facts.AudioCodec ?? "",
                PosterObjectKey = files.PosterPath is null ? "" : assignment.PosterObjectKey,
                RenderTime = Duration.FromTimeSpan(time.GetElapsedTime(started)),
                Encoder = files.Encoder,
                Stills = { extras.Stills },
                Sidecars = { extras.Sidecars },
                Renditions = { renditions },
                // Capped so the result stays a small message and record; the transcript sidecar has every word.
                // A chunk's is left out: a chunked production's transcript is its sound part's.
                Transcript = { files.Words.Take(assignment.Chunk is null ? CanvasLimits.MaxTranscriptWords : 0).Select(w => new TranscriptWord { Text = w.Text, Start = w.Start, End = w.End }) },
            };
            RenderSucceeded(logger, assignment.ProductionId, assignment.Attempt, time.GetElapsedTime(started).TotalSeconds, facts.Duration);
        }
        catch (RenderException e)
        {
            result.Failure = new RenderFailure { Code = e.Code, Message = e.Message, Retryable = e.Retryable };
            RenderFailed(logger, assignment.ProductionId, assignment.Attempt, e.Code, e.Message);
        }
        catch (HttpRequestException e) when (!ct.IsCancellationRequested)
        {
            result.Failure = new RenderFailure { Code = ErrorReasons.UploadFailed, Message = e.Message, Retryable = true };
            RenderFailed(logger, assignment.ProductionId, assignment.Attempt, ErrorReasons.UploadFailed, e.Message);
        }
        finally
        {
            TryDelete(work);
        }

        return result;
    }

    // A plan's stills: uploaded one by one; the output names the first and counts them.
    private async Task<RenderOutput> PreviewAsync(RenderRequest request, PreviewJob preview, Action<RenderStatus> report, CancellationToken ct)
    {
        var stills = await renderer.RenderStillsAsync(request, preview.Times, new Progress<RenderStatus>(report), ct);
        report(new RenderStatus("uploading", 1, 0));
        for (var i = 0; i < stills.Paths.Count; i++)
        {
            await UploadAsync(stills.Paths[i], preview.UploadUrls[i], "image/jpeg", ct);
        }

        return new RenderOutput
        {
            ObjectKey = preview.ObjectKeys[0],
            SizeBytes = stills.Paths.Sum(p => new FileInfo(p).Length),
            Width = stills.Width,
            Height = stills.Height,
            ContentType = "image/jpeg",
            VideoCodec = "mjpeg",
            PreviewFrames = stills.Paths.Count,
        };
    }

    // A chunked production's join: its pieces fetched from the URLs the assignment gives, then joined.
    private async Task<RenderedFiles> JoinAsync(RenderRequest request, JoinJob join, Action<RenderStatus> report, CancellationToken ct)
    {
        report(new RenderStatus("fetching chunks", 0, 0));
        var chunks = new List<string>();
        for (var i = 0; i < join.ChunkUrls.Count; i++)
        {
            chunks.Add(await DownloadAsync(join.ChunkUrls[i], Path.Combine(request.WorkDirectory, $"chunk-{i:000}.{OutputKinds.Extension(request.Output.Format)}"), ct));
        }

        var sound = await DownloadAsync(join.AudioUrl, Path.Combine(request.WorkDirectory, "sound.wav"), ct);
        return await renderer.JoinAsync(request, chunks, sound, new Progress<RenderStatus>(report), ct);
    }

    private async Task<string> DownloadAsync(string url, string path, CancellationToken ct)
    {
        using var response = await http.CreateClient(UploadClient).GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new RenderException(ErrorReasons.MediaFetchFailed, $"a piece to join answered {(int)response.StatusCode}", retryable: true);
        }

        await using var file = File.Create(path);
        await response.Content.CopyToAsync(file, ct);
        return path;
    }

    // Each rendition to the URL the assignment gives it (same order as the production asks).
    private async Task<List<StoredRendition>> UploadRenditionsAsync(RenderedFiles files, Assignment assignment, CancellationToken ct)
    {
        if (files.Renditions.Count > assignment.RenditionUploads.Count)
        {
            throw new RenderException(ErrorReasons.NodeError, "the assignment has fewer upload URLs than the production has renditions", retryable: true);
        }

        var stored = new List<StoredRendition>();
        for (var i = 0; i < files.Renditions.Count; i++)
        {
            var (file, target) = (files.Renditions[i], assignment.RenditionUploads[i]);
            await UploadAsync(file.Path, target.UploadUrl, file.ContentType, ct);
            stored.Add(new StoredRendition
            {
                Name = file.Name, ObjectKey = target.ObjectKey, SizeBytes = file.Facts.SizeBytes, Duration = file.Facts.Duration,
                Width = file.Facts.Width, Height = file.Facts.Height, ContentType = file.ContentType, MainOutput = file.Path == files.OutputPath,
            });
        }

        return stored;
    }

    // The stills and sidecars, each to the URL the assignment gives it (same order as the output asks).
    private async Task<(List<StoredFile> Stills, List<StoredFile> Sidecars)> UploadExtrasAsync(RenderedFiles files, Assignment assignment, CancellationToken ct)
    {
        if (files.Stills.Count > assignment.StillUploads.Count || files.Sidecars.Count > assignment.SidecarUploads.Count)
        {
            throw new RenderException(ErrorReasons.NodeError, "the assignment has fewer upload URLs than the output has stills or sidecars", retryable: true);
        }
        var stills = new List<StoredFile>();
        for (var i = 0; i < files.Stills.Count; i++)
        {
            var (still, target) = (files.Stills[i], assignment.StillUploads[i]);
            await UploadAsync(still.Path, target.UploadUrl, still.ContentType, ct);
            stills.Add(new StoredFile { ObjectKey = target.ObjectKey, SizeBytes = new FileInfo(still.Path).Length, ContentType = still.ContentType, Time = still.Time, FrameTime = still.FrameTime });
        }
        var sidecars = new List<StoredFile>();
        for (var i = 0; i < files.Sidecars.Count; i++)
        {
            var (sidecar, target) = (files.Sidecars[i], assignment.SidecarUploads[i]);
            await UploadAsync(sidecar.Path, target.UploadUrl, sidecar.ContentType, ct);
            sidecars.Add(new StoredFile { ObjectKey = target.ObjectKey, SizeBytes = new FileInfo(sidecar.Path).Length, ContentType = sidecar.ContentType, Sidecar = sidecar.Format });
        }
        return (stills, sidecars);
    }

    private async Task UploadAsync(string path, string url, string contentType, CancellationToken ct)
    {
        using var span = FarmTracing.Node.StartActivity("upload", ActivityKind.Client);
        span?.SetTag("http.request.method", "PUT");
        await using var file = File.OpenRead(path);
        using var content = new StreamContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        content.Headers.ContentLength = file.Length;
        using var response = await http.CreateClient(UploadClient).PutAsync(url, content, ct);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            throw new HttpRequestException($"upload answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}");
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rendered {ProductionId} attempt {Attempt} in {Seconds:F2}s ({VideoSeconds:F2}s of video)")]
    private static partial void RenderSucceeded(ILogger logger, string productionId, int attempt, double seconds, double videoSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Render of {ProductionId} attempt {Attempt} failed: {Code} {Message}")]
    private static partial void RenderFailed(ILogger logger, string productionId, int attempt, string code, string message);
}
