using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using RenderFarm.CanvasModel;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Facade.Productions;
using RenderFarm.State;

namespace RenderFarm.Facade.Plans;

/// <summary>Turns a canvas and output into a plan's content: validated, resolved, fingerprinted and estimated.</summary>
internal sealed class PlanBuilder(RenderCalibration calibration, NarrationTiming narration, IOptions<PlanOptions> options)
{
    /// <summary>A planned canvas with its normalized output, the renditions it is planned with, and its fingerprint.</summary>
    public sealed record Draft(CanvasPlan Planned, OutputSpec Output, IReadOnlyList<Rendition> Renditions, string Fingerprint, CanvasFrame Frame);

    /// <summary>
    /// Validates (paths from the request root: canvas…, output…), synthesises the narrations and
    /// plans; INVALID_ARGUMENT when the canvas is wrong. The renditions are fingerprinted and
    /// estimated with it, not checked (the caller checks them against the normalized output).
    /// </summary>
    public async Task<Draft> BuildAsync(Canvas? canvas, OutputSpec? output, IReadOnlyList<Rendition> renditions, CancellationToken ct)
    {
        Validate(canvas, output);
        var lengths = await narration.LengthsAsync(canvas!, ct);
        if (lengths.Count > 0)
        {
            // Still times past the end are refused once the narrations make the length known.
            Validate(canvas, output, lengths);
        }
        return Build(canvas!, output, renditions, lengths);
    }

    private static void Validate(Canvas? canvas, OutputSpec? output, IReadOnlyDictionary<int, double>? narrations = null)
    {
        var violations = CanvasValidator.Validate(canvas, output, narrations)
            .Select(v => new Problems.Violation(v.Field, v.Reason, v.Description))
            .ToList();
        if (violations.Count > 0)
        {
            throw Problems.InvalidArgument(violations);
        }
    }

    private static Draft Build(Canvas canvas, OutputSpec? output, IReadOnlyList<Rendition> renditions, IReadOnlyDictionary<int, double> narrations)
    {
        var normalized = CreateRequestRules.Normalize(new CreateProductionRequest { Canvas = canvas, Output = output }).Output;
        var planned = CanvasPlanner.Plan(canvas, output, narrations);
        return new Draft(planned, normalized, renditions, Fingerprint(planned.Canvas, normalized, renditions), CanvasFrame.Of(planned.Canvas));
    }

    /// <summary>
    /// "sha256:{hex}" of the canonical protobuf bytes of canvas, output and renditions (no maps, so
    /// serialization is deterministic). Without renditions it is the fingerprint of canvas and output alone.
    /// </summary>
    public static string Fingerprint(Canvas canvas, OutputSpec output, IEnumerable<Rendition> renditions) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(new CreateProductionRequest { Canvas = canvas, Output = output, Renditions = { renditions } }.ToByteArray()));

    /// <summary>
    /// Duration, frames, cost units and render seconds, calibrated by this farm's measured renders.
    /// Each rendition encoded besides the main output adds the cost units of its own frame.
    /// </summary>
    public async Task<PlanEstimate> EstimateAsync(Draft draft)
    {
        var frame = draft.Frame;
        var duration = draft.Planned.Duration;
        var renditionUnits = draft.Renditions.Where(r => !CanvasModel.Renditions.SameAsMain(draft.Planned.Canvas, draft.Output, r))
            .Select(CanvasModel.Renditions.Size)
            .Sum(size => RenderCalibration.CostUnits(duration, size.Width, size.Height, frame.Fps));
        var units = RenderCalibration.CostUnits(duration, frame.Width, frame.Height, frame.Fps) + renditionUnits;
        var measured = await calibration.ReadAsync();
        var perUnit = measured?.SecondsPerUnit ?? options.Value.DefaultSecondsPerUnit;
        return new PlanEstimate
        {
            Duration = duration,
            Frames = (long)Math.Round(duration * frame.Fps),
            CostUnits = units,
            RenditionCostUnits = renditionUnits,
            SecondsPerUnit = perUnit,
            RenderSeconds = units * perUnit,
            CalibrationSamples = measured?.Samples ?? 0,
            Approximate = draft.Planned.Approximate,
        };
    }

    /// <summary>Preview times aligned to frames, ascending and distinct: the requested ones, or 10%, 50% and 90% of the video.</summary>
    public static IReadOnlyList<double> PreviewTimes(Draft draft, IReadOnlyList<double> requested, List<Problems.Violation> violations)
    {
        var duration = draft.Planned.Duration;
        if (requested.Count > PlanOptions.MaxPreviewFrames)
        {
            violations.Add(new("previewTimes", ErrorReasons.LimitExceeded, $"at most {PlanOptions.MaxPreviewFrames} preview times"));
            return [];
        }

        for (var i = 0; i < requested.Count; i++)
        {
            if (!double.IsFinite(requested[i]) || requested[i] < 0 || requested[i] >= duration)
            {
                violations.Add(new($"previewTimes[{i}]", ErrorReasons.OutOfRange, $"must be within [0, {duration:0.###}) seconds, the planned video"));
            }
        }

        var fps = draft.Frame.Fps;
        var last = Math.Max(0, (long)Math.Round(duration * fps) - 1);
        var times = requested.Count > 0 ? requested : [0.1 * duration, 0.5 * duration, 0.9 * duration];
        return [.. times.Where(double.IsFinite)
            .Select(t => Math.Clamp((long)Math.Floor(t * fps + 1e-6), 0, last))
            .Distinct().Order()
            .Select(f => f / (double)fps)];
    }
}
