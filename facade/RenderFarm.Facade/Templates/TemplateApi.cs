using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using RenderFarm.CanvasModel;
using RenderFarm.CanvasModel.Templates;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Facade.Auth;
using RenderFarm.Facade.Paging;
using RenderFarm.Facade.Plans;
using RenderFarm.Facade.Productions;
using RenderFarm.State;

namespace RenderFarm.Facade.Templates;

/// <summary>
/// TemplateService: saved designs with <c>{{NAME}}</c> merge fields. Saving validates the template
/// with its defaults (<see cref="TemplateRules"/>); rendering and planning fill it
/// (<see cref="TemplateMerger"/>) and hand the result to the same paths as CreateProduction
/// (<see cref="ProductionCreator"/>: quotas, idempotency, limits) and CreatePlan (<see cref="PlanCreator"/>).
/// </summary>
internal sealed partial class TemplateApi(
    TemplateStore store,
    ProductionCreator creator,
    PlanCreator planner,
    PageTokens pageTokens,
    IOptions<TemplateOptions> options,
    TimeProvider time,
    ILogger<TemplateApi> logger) : TemplateService.TemplateServiceBase
{
    /// <summary>Production label naming the template a render came from.</summary>
    public const string TemplateLabel = CreateRequestRules.ReservedLabelPrefix + "template";

    // Updates that lose a race with another update are read and applied again this often.
    private const int UpdateAttempts = 3;

    public override async Task<Template> CreateTemplate(CreateTemplateRequest request, ServerCallContext context)
    {
        var tenant = Tenancy.Resolve(context);
        var template = TemplateMask.Apply(new Template(), request.Template ?? new Template(), new FieldMask { Paths = { "*" } });
        var now = Timestamp.FromDateTimeOffset(time.GetUtcNow());
        template.Id = Guid.CreateVersion7().ToString("N");
        template.Name = $"templates/{template.Id}";
        (template.CreateTime, template.UpdateTime) = (now, now);
        Validate(template);
        if (!await store.CreateAsync(tenant, template, options.Value.MaxPerTenant))
        {
            var max = options.Value.MaxPerTenant.ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw Problems.ResourceExhausted(ErrorReasons.TemplateLimitExceeded,
                $"tenant {tenant} already has {max} templates, its limit; delete some first",
                new Dictionary<string, string> { ["tenant"] = tenant, ["limit"] = max });
        }

        Saved(logger, template.Id, tenant, template.Fields.Count);
        return await FindAsync(tenant, template.Id);
    }

    public override Task<Template> GetTemplate(GetTemplateRequest request, ServerCallContext context) =>
        FindAsync(Tenancy.Resolve(context), request.Id);

    public override async Task<ListTemplatesResponse> ListTemplates(ListTemplatesRequest request, ServerCallContext context)
    {
        const string filter = "templates";
        var size = PageTokens.PageSize(request.PageSize);
        var tenant = Tenancy.Resolve(context);
        var (items, next) = await store.ListAsync(tenant, size, pageTokens.Decode(request.PageToken, tenant, filter));
        return new ListTemplatesResponse
        {
            Templates = { items },
            NextPageToken = next is null ? "" : pageTokens.Encode(next, tenant, filter),
        };
    }

    public override async Task<Template> UpdateTemplate(UpdateTemplateRequest request, ServerCallContext context)
    {
        var tenant = Tenancy.Resolve(context);
        var update = request.Template ?? throw Problems.InvalidArgument("template", ErrorReasons.FieldRequired, "the template to update is required");
        for (var attempt = 1; ; attempt++)
        {
            var current = await FindAsync(tenant, request.Id);
            if (update.Etag.Length > 0 && update.Etag != current.Etag)
            {
                throw EtagMismatch(request.Id, update.Etag, current.Etag);
            }

            var next = TemplateMask.Apply(current, update, request.UpdateMask);
            next.UpdateTime = Timestamp.FromDateTimeOffset(time.GetUtcNow());
            Validate(next);
            var outcome = await store.UpdateAsync(tenant, next, current.Etag);
            if (outcome.Missing)
            {
                throw Problems.NotFound(ErrorReasons.TemplateNotFound, "templates", request.Id);
            }

            if (outcome.Etag is { } etag)
            {
                next.Etag = etag;
                return next;
            }

            // Another update won the race: a caller who named an etag learns it, others are merged again.
            if (update.Etag.Length > 0 || attempt == UpdateAttempts)
            {
                throw EtagMismatch(request.Id, update.Etag, "");
            }
        }
    }

    public override async Task<Empty> DeleteTemplate(DeleteTemplateRequest request, ServerCallContext context) =>
        await store.DeleteAsync(Tenancy.Resolve(context), request.Id)
            ? new Empty()
            : throw Problems.NotFound(ErrorReasons.TemplateNotFound, "templates", request.Id);

    public override async Task<Production> RenderTemplate(RenderTemplateRequest request, ServerCallContext context)
    {
        var caller = Tenancy.Caller(context);
        var merged = await MergeAsync(caller.Tenant, request.Id, request.Merge);
        var create = IdempotencyKey.Apply(new CreateProductionRequest
        {
            Canvas = merged.Canvas,
            Output = request.Output ?? merged.Output,
            DisplayName = request.DisplayName,
            Priority = request.Priority,
            WebhookUrl = request.WebhookUrl,
            Labels = { request.Labels },
            RequestId = request.RequestId,
            Placement = request.Placement,
            Renditions = { request.Renditions },
        }, context);
        ThrowIfAny(CreateRequestRules.Validate(create), merged);
        var normalized = CreateRequestRules.Normalize(create);
        normalized.Labels[TemplateLabel] = request.Id;
        return await creator.QueueAsync(caller, normalized, context.CancellationToken);
    }

    public override async Task<Plan> PlanTemplate(PlanTemplateRequest request, ServerCallContext context)
    {
        var tenant = Tenancy.Resolve(context);
        var merged = await MergeAsync(tenant, request.Id, request.Merge);
        var plan = new CreatePlanRequest
        {
            Canvas = merged.Canvas,
            Output = request.Output ?? merged.Output,
            PreviewTimes = { request.PreviewTimes },
            SkipPreviews = request.SkipPreviews,
            Renditions = { request.Renditions },
        };
        ThrowIfAny([.. CanvasValidator.Validate(plan.Canvas, plan.Output).Select(v => new Problems.Violation(v.Field, v.Reason, v.Description))], merged);
        return await planner.CreateAsync(tenant, plan, context.CancellationToken);
    }

    private async Task<MergedTemplate> MergeAsync(string tenant, string id, IReadOnlyDictionary<string, Value> merge)
    {
        var merged = TemplateMerger.Merge(await FindAsync(tenant, id), merge);
        if (merged.Violations.Count > 0)
        {
            throw Problems.InvalidArgument([.. merged.Violations.Select(v => new Problems.Violation(v.Field, v.Reason, v.Description))]);
        }

        return merged;
    }

    // A canvas check of the filled template names the merge value that filled the field at fault.
    private static void ThrowIfAny(List<Problems.Violation> violations, MergedTemplate merged)
    {
        if (violations.Count > 0)
        {
            throw Problems.InvalidArgument([.. violations
                .Select(v => merged.Attribute(new FieldViolation(v.Field, v.Reason, v.Description)))
                .Select(v => new Problems.Violation(v.Field, v.Reason, v.Description))]);
        }
    }

    private void Validate(Template template)
    {
        var violations = TemplateRules.Validate(template).Select(v => new Problems.Violation(v.Field, v.Reason, v.Description)).ToList();
        if (violations.Count == 0 && template.CalculateSize() > options.Value.MaxBytes)
        {
            violations.Add(new("template", ErrorReasons.LimitExceeded, $"a template may take at most {options.Value.MaxBytes} bytes (protobuf encoding)"));
        }

        if (violations.Count > 0)
        {
            throw Problems.InvalidArgument(violations);
        }
    }

    private async Task<Template> FindAsync(string tenant, string id) =>
        await store.GetAsync(tenant, id) ?? throw Problems.NotFound(ErrorReasons.TemplateNotFound, "templates", id);

    private static RpcException EtagMismatch(string id, string sent, string current) =>
        Problems.Build(StatusCode.Aborted, ErrorReasons.TemplateEtagMismatch,
            $"template '{id}' changed since {(sent.Length > 0 ? $"etag {sent}" : "it was read")}; read it again and reapply the change",
            new Dictionary<string, string> { ["resource"] = $"templates/{id}", ["etag"] = current });

    [LoggerMessage(Level = LogLevel.Information, Message = "Saved template {TemplateId} for tenant {Tenant} ({Fields} fields)")]
    private static partial void Saved(ILogger logger, string templateId, string tenant, int fields);
}
