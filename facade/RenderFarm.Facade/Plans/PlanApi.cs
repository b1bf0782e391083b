using Grpc.Core;
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
internal sealed class PlanApi(
    PlanStore plans,
    PlanCreator planner,
    PlanBuilder builder,
    PlanViews views,
    ProductionCreator creator,
    TimeProvider time) : PlanService.PlanServiceBase
{
    /// <summary>Production label naming the plan a render came from.</summary>
    public const string PlanLabel = CreateRequestRules.ReservedLabelPrefix + "plan";

    /// <summary>Production label holding the fingerprint of what was rendered.</summary>
    public const string FingerprintLabel = CreateRequestRules.ReservedLabelPrefix + "fingerprint";

    public override Task<Plan> CreatePlan(CreatePlanRequest request, ServerCallContext context) =>
        planner.CreateAsync(Tenancy.Resolve(context), request, context.CancellationToken);

    public override async Task<Plan> GetPlan(GetPlanRequest request, ServerCallContext context)
    {
        var tenant = Tenancy.Resolve(context);
        return await views.ViewAsync(tenant, await FindAsync(tenant, request.Id), context.CancellationToken);
    }

    public override async Task<Production> RenderPlan(RenderPlanRequest request, ServerCallContext context)
    {
        var tenant = Tenancy.Resolve(context);
        var plan = (await FindAsync(tenant, request.Id)).Plan;
        var renditions = request.Renditions.Count > 0 ? request.Renditions : plan.Renditions;
        var otherRenditions = !renditions.SequenceEqual(plan.Renditions);
        var (canvas, output, fingerprint) = (plan.Canvas, plan.Output, plan.Fingerprint);
        if (request.Canvas is not null || request.Output is not null)
        {
            // An edit is planned again from scratch: validated with paths from this request's root.
            var draft = await builder.BuildAsync(request.Canvas ?? plan.Canvas, request.Output ?? plan.Output, renditions, context.CancellationToken);
            (canvas, output, fingerprint) = (draft.Planned.Canvas, draft.Output, draft.Fingerprint);
        }
        else if (otherRenditions)
        {
            // Other renditions render other files: what is rendered has a fingerprint of its own.
            fingerprint = PlanBuilder.Fingerprint(canvas, output, renditions);
        }

        if (request.Fingerprint.Length > 0 && request.Fingerprint != fingerprint)
        {
            var what = canvas == plan.Canvas && output == plan.Output ? "plan" : "edited plan";
            throw Problems.FailedPrecondition(ErrorReasons.PlanFingerprintMismatch,
                $"the {what}{(otherRenditions ? " with the renditions of this request" : "")} has fingerprint {fingerprint}, not {request.Fingerprint}",
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
            Renditions = { renditions },
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
}
