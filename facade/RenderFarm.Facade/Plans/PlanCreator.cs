using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Facade.Productions;
using RenderFarm.State;

namespace RenderFarm.Facade.Plans;

/// <summary>
/// Plans a canvas: everything but the render (validation, timing, warnings, estimate,
/// fingerprint), and queues preview stills as HIGH-priority node work. CreatePlan and
/// PlanTemplate share it.
/// </summary>
internal sealed partial class PlanCreator(
    PlanStore plans,
    PlanBuilder builder,
    PlanViews views,
    ProductionCreator creator,
    ReferenceChecks references,
    IOptions<PlanOptions> options,
    TimeProvider time,
    ILogger<PlanCreator> logger)
{
    /// <summary>Plans <paramref name="request"/> for <paramref name="tenant"/>; INVALID_ARGUMENT when its canvas or preview times are wrong.</summary>
    public async Task<Plan> CreateAsync(string tenant, CreatePlanRequest request, CancellationToken ct)
    {
        var draft = await builder.BuildAsync(request.Canvas, request.Output, request.Renditions, ct);
        var violations = new List<Problems.Violation>();
        var times = request.SkipPreviews ? [] : PlanBuilder.PreviewTimes(draft, request.PreviewTimes, violations);
        violations.AddRange(await references.MissingAssetsAsync(tenant, request.Canvas));
        violations.AddRange(CanvasModel.Renditions.Validate(request.Renditions, draft.Output).Select(v => new Problems.Violation(v.Field, v.Reason, v.Description)));
        if (violations.Count > 0)
        {
            throw Problems.InvalidArgument(violations);
        }

        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7().ToString("N");
        var plan = new Plan
        {
            Id = id,
            Name = $"plans/{id}",
            Canvas = draft.Planned.Canvas,
            Output = draft.Output,
            Estimate = await builder.EstimateAsync(draft),
            Fingerprint = draft.Fingerprint,
            CreateTime = Timestamp.FromDateTimeOffset(now),
            ExpireTime = Timestamp.FromDateTimeOffset(now + options.Value.Ttl),
            Preview = new PlanPreview { State = times.Count > 0 ? PlanPreview.Types.State.Pending : PlanPreview.Types.State.Skipped },
        };
        plan.Warnings.Add(draft.Planned.Warnings.Concat(CanvasModel.Renditions.Warnings(draft.Planned.Canvas, request.Renditions))
            .Select(w => new PlanWarning { Code = w.Code, Path = w.Path, Message = w.Message }));
        plan.Renditions.Add(request.Renditions);
        plan.Preview.Frames.Add(times.Select(t => new PreviewFrame { Time = t }));

        var previewId = "";
        if (times.Count > 0)
        {
            var job = new CreateProductionRequest
            {
                Canvas = draft.Planned.Canvas,
                Output = draft.Output,
                Priority = Priority.High,
                DisplayName = $"preview of plans/{id}",
                Labels = { [PlanApi.PlanLabel] = id },
            };
            previewId = (await creator.QueueInternalAsync(tenant, job, JobKinds.Preview(times), ct)).Id;
        }

        await plans.SaveAsync(tenant, plan, previewId, time, options.Value.ExpiredRetention);
        Planned(logger, id, tenant, plan.Estimate.Duration, plan.Warnings.Count, times.Count);
        return await views.ViewAsync(tenant, new StoredPlan(plan, previewId), ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Planned {PlanId} for tenant {Tenant}: {Duration:F2} s, {Warnings} warnings, {Stills} preview stills")]
    private static partial void Planned(ILogger logger, string planId, string tenant, double duration, int warnings, int stills);
}
