using System.Globalization;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.Options;
using RenderFarm.CanvasModel;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Facade.Auth;
using RenderFarm.State;

namespace RenderFarm.Facade.Usage;

/// <summary>
/// Quotas enforced before work is queued. A create reserves the canvas's resolved duration against
/// the tenant's monthly render seconds and the key's spend cap (one atomic script), and is refused
/// when the tenant already stores its byte quota. Reserving at create, rather than counting at
/// success, is what lets a quota refuse work before it runs: a month's quota can never be overrun
/// by work already queued. Cancelled work, and work deleted before it succeeded, is refunded.
/// </summary>
internal sealed class Quotas(UsageStore usage, ProductionStore productions, IOptionsMonitor<TenantOptions> tenants)
{
    /// <summary>Reserves what <paramref name="request"/> will render; null for a repeat of an earlier request (nothing new is queued).</summary>
    public async Task<Reservation?> ReserveAsync(Caller caller, CreateProductionRequest request)
    {
        if (await productions.IsKnownRequestAsync(caller.Tenant, request.RequestId))
        {
            return null;
        }

        var limits = tenants.CurrentValue.For(caller.Tenant);
        if (limits.StoredBytes is { } maxBytes && maxBytes > 0)
        {
            var stored = (await usage.FootprintAsync(caller.Tenant)).StoredBytes;
            if (stored >= maxBytes)
            {
                throw Exceeded(caller.Tenant, "storedBytes", maxBytes, stored, 0,
                    $"tenant '{caller.Tenant}' stores {stored} bytes of its {maxBytes} byte quota; delete productions to make room");
            }
        }

        var seconds = Math.Round(TimelineResolver.Resolve(request.Canvas, new Dictionary<int, double>()).Duration, 3);
        var reservation = await usage.ReserveAsync(caller.Tenant, caller.IsStored ? caller.KeyId : "", seconds, limits.RenderSecondsPerMonth ?? 0);
        return reservation.Refusal switch
        {
            null => reservation,
            ErrorReasons.QuotaExceeded => throw Exceeded(caller.Tenant, "renderSecondsPerMonth", reservation.Limit, reservation.Used, seconds,
                $"tenant '{caller.Tenant}' has used {reservation.Used:0.###} of its {reservation.Limit:0.###} render seconds this month; this production needs {seconds:0.###}"),
            _ => throw Problems.Build(StatusCode.ResourceExhausted, ErrorReasons.SpendCapExceeded,
                $"this key has spent {reservation.Used:0.###} of its {reservation.Limit:0.###} seconds; this production needs {seconds:0.###}",
                new Dictionary<string, string>
                {
                    ["keyId"] = caller.KeyId,
                    ["limit"] = Invariant(reservation.Limit),
                    ["spent"] = Invariant(reservation.Used),
                    ["requested"] = Invariant(seconds),
                }),
        };
    }

    /// <summary>After the create: ties the reservation to a new production, or gives it back when nothing was queued.</summary>
    public Task SettleAsync(Reservation? reservation, CreateOutcome? outcome) => reservation switch
    {
        null => Task.CompletedTask,
        _ when outcome is { Existing: false, Production: { } created } => usage.AttachAsync(reservation, created.Production.Id),
        _ => usage.RefundAsync(reservation),
    };

    /// <summary>Refunds a production that was cancelled, or deleted before it succeeded.</summary>
    public Task RefundAsync(string productionId) => usage.RefundProductionAsync(productionId);

    private static RpcException Exceeded(string tenant, string quota, double limit, double used, double requested, string message) =>
        Problems.Build(StatusCode.ResourceExhausted, ErrorReasons.QuotaExceeded, message,
            new Dictionary<string, string>
            {
                ["quota"] = quota,
                ["limit"] = Invariant(limit),
                ["used"] = Invariant(used),
                ["requested"] = Invariant(requested),
            },
            new QuotaFailure { Violations = { new QuotaFailure.Types.Violation { Subject = $"tenants/{tenant}", Description = message } } });

    private static string Invariant(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
