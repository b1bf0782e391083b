using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Facade.Auth;
using RenderFarm.Facade.Productions;
using RenderFarm.State;

namespace RenderFarm.Facade.Plans;

/// <summary>
/// PlanService, the two-phase loop: CreatePlan does everything but the render (validation, timing,
/// warnings, estimate, fingerprint, and queues preview stills as HIGH-priority node work);
/// RenderPlan turns the plan, or an edited version of it, into a production.
/// </summary>
internal sealed partial class PlanApi(
    PlanStore plans,
    PlanBuilder builder,
    PlanViews views,
    ProductionCreator creator,
    IOptions<PlanOptions> options,
    TimeProvider time,
    ILogger<PlanApi> logger) : PlanService.PlanServiceBase
{
    /// <summary>Production label naming the plan a render came from.</summary>
    public const string PlanLabel = CreateRequestRules.ReservedLabelPrefix + "plan";

    /// <summary>Production label holding the fingerprint of what was rendered.</summary>
    public const string FingerprintLabel = CreateRequestRules.ReservedLabelPrefix + "fingerprint";

    public override async Task<Plan> CreatePlan(CreatePlanRequest request, ServerCallContext context)
    {
        var draft = PlanBuilder.Build(request.Canvas, request.Output);
        var violations = new List<Problems.Violation>();
        var times = request.SkipPreviews ? [] : PlanBuilder.PreviewTimes(draft, request.PreviewTimes, violations);
        if (violations.Count > 0)
        {
            throw Problems.InvalidArgument(violations);
        }

        var tenant = Tenancy.Resolve(context);
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
        plan.Warnings.Add(draft.Planned.Warnings.Select(w => new PlanWarning { Code = w.Code, Path = w.Path, Message = w.Message }));
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
                Labels = { [PlanLabel] = id },
            };
            previewId = (await creator.QueueInternalAsync(tenant, job, JobKinds.Preview(times), context.CancellationToken)).Id;
        }

        await plans.SaveAsync(tenant, plan, previewId, time, options.Value.ExpiredRetention);
        Planned(logger, id, tenant, plan.Estimate.Duration, plan.Warnings.Count, times.Count);
        return await views.ViewAsync(tenant, new StoredPlan(plan, previewId), context.CancellationToken);
    }

    public override async Task<Plan> GetPlan(GetPlanRequest request, ServerCallContext context)
    {
        var tenant = Tenancy.Resolve(context);
        return await views.ViewAsync(tenant, await FindAsync(tenant, request.Id), context.CancellationToken);
    }

    public override async Task<Production> RenderPlan(RenderPlanRequest request, ServerCallContext context)
    {
        var tenant = Tenancy.Resolve(context);
        var plan = (await FindAsync(tenant, request.Id)).Plan;
        var (canvas, output, fingerprint) = (plan.Canvas, plan.Output, plan.Fingerprint);
        if (request.Canvas is not null || request.Output is not null)
        {
            // An edit is planned again from scratch: validated with paths from this request's root.
            var draft = PlanBuilder.Build(request.Canvas ?? plan.Canvas, request.Output ?? plan.Output);
            (canvas, output, fingerprint) = (draft.Planned.Canvas, draft.Output, draft.Fingerprint);
        }

        if (request.Fingerprint.Length > 0 && request.Fingerprint != fingerprint)
        {
            throw Problems.FailedPrecondition(ErrorReasons.PlanFingerprintMismatch,
                $"the {(canvas == plan.Canvas && output == plan.Output ? "plan" : "edited plan")} has fingerprint {fingerprint}, not {request.Fingerprint}",
                new Dictionary<string, string> { ["field"] = "fingerprint", ["fingerprint"] = fingerprint });
        }

        var create = new CreateProductionRequest
        {
            Canvas = canvas,
            Output = output,
            DisplayName = request.DisplayName,
            Priority = request.Priority,
            WebhookUrl = request.WebhookUrl,
            Labels = { request.Labels },
            RequestId = request.RequestId,
        };
        var violations = CreateRequestRules.Validate(create);
        if (violations.Count > 0)
        {
            throw Problems.InvalidArgument(violations);
        }

        var normalized = CreateRequestRules.Normalize(create);
        normalized.Labels[PlanLabel] = plan.Id;
        normalized.Labels[FingerprintLabel] = fingerprint;
        return await creator.QueueAsync(Tenancy.Caller(context), normalized, context.CancellationToken);
    }

    // An expired plan answers PLAN_EXPIRED until the store forgets it (ExpiredRetention later), then PLAN_NOT_FOUND.
    private async Task<StoredPlan> FindAsync(string tenant, string id)
    {
        var stored = await plans.GetAsync(tenant, id) ?? throw Problems.NotFound(ErrorReasons.PlanNotFound, "plans", id);
        if (time.GetUtcNow() >= stored.Plan.ExpireTime.ToDateTimeOffset())
        {
            throw Problems.FailedPrecondition(ErrorReasons.PlanExpired, $"plan '{id}' expired at {stored.Plan.ExpireTime}; create a new plan",
                new Dictionary<string, string> { ["resource"] = $"plans/{id}" });
        }

        return stored;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Planned {PlanId} for tenant {Tenant}: {Duration:F2} s, {Warnings} warnings, {Stills} preview stills")]
    private static partial void Planned(ILogger logger, string planId, string tenant, double duration, int warnings, int stills);
}
