using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.State;
using RenderFarm.Storage;

namespace RenderFarm.Facade.Plans;

/// <summary>What callers see of a stored plan: the preview's state, with still URLs minted fresh on every read.</summary>
internal sealed class PlanViews(ProductionStore productions, IObjectStore objects, IOptions<StorageOptions> storage)
{
    public async Task<Plan> ViewAsync(string tenant, StoredPlan stored, CancellationToken ct)
    {
        var plan = stored.Plan.Clone();
        plan.Preview ??= new PlanPreview();
        if (stored.PreviewProductionId.Length == 0)
        {
            plan.Preview.State = PlanPreview.Types.State.Skipped;
            return plan;
        }

        var job = await productions.GetAsync(tenant, stored.PreviewProductionId, JobSpec.Types.Kind.Preview);
        switch (job?.Production.State)
        {
            case null:
                Fail(plan.Preview, ErrorReasons.PreviewLost, "the preview job no longer exists");
                break;
            case Production.Types.State.Succeeded when job.Output is { } output:
                var folder = output.ObjectKey[..(output.ObjectKey.LastIndexOf('/') + 1)];
                for (var i = 0; i < plan.Preview.Frames.Count; i++)
                {
                    var url = await objects.PresignGetAsync(PreviewJobs.ObjectKey(folder, i), storage.Value.DownloadUrlTtl, ct);
                    plan.Preview.Frames[i].Url = url.Url.ToString();
                    plan.Preview.Frames[i].UrlExpireTime = Timestamp.FromDateTimeOffset(url.ExpiresAt);
                }

                plan.Preview.State = PlanPreview.Types.State.Ready;
                break;
            case Production.Types.State.Failed or Production.Types.State.Cancelled or Production.Types.State.Succeeded:
                Fail(plan.Preview, job.Production.Error?.Code ?? ErrorReasons.PreviewFailed, job.Production.Error?.Message ?? "the preview was not rendered");
                break;
            default:
                plan.Preview.State = PlanPreview.Types.State.Pending;
                break;
        }

        return plan;
    }

    private static void Fail(PlanPreview preview, string code, string message)
    {
        preview.State = PlanPreview.Types.State.Failed;
        preview.ErrorCode = code;
        preview.ErrorMessage = message;
    }
}
