using System.Net.Sockets;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Egress;
using RenderFarm.State;

namespace RenderFarm.Facade.Productions;

/// <summary>
/// Checks of a create request that need the outside world: every <c>asset://</c> source (media or font) names an
/// asset of the caller's tenant (another tenant's asset reads as missing), and the webhook URL
/// resolves to an address the SSRF guard allows (the coordinator checks again when it connects).
/// </summary>
internal sealed class ReferenceChecks(AssetStore assets, IOptions<WebhookOptions> webhooks)
{
    private readonly DestinationGuard _guard = new(webhooks.Value.AllowedHosts);

    public async Task ValidateAsync(string tenant, CreateProductionRequest request, CancellationToken ct)
    {
        var violations = await MissingAssetsAsync(tenant, request.Canvas);
        if (request.WebhookUrl.Length > 0 && await RefusalAsync(request.WebhookUrl, ct) is { } why)
        {
            violations.Add(new("webhookUrl", ErrorReasons.WebhookUrlRefused, why));
        }

        if (violations.Count > 0)
        {
            throw Problems.InvalidArgument(violations);
        }
    }

    /// <summary>ASSET_NOT_FOUND for every <c>asset://</c> source of <paramref name="canvas"/> that names no asset of the tenant (deleted ones included).</summary>
    public async Task<List<Problems.Violation>> MissingAssetsAsync(string tenant, Canvas canvas)
    {
        var violations = new List<Problems.Violation>();
        foreach (var source in CanvasSources.Of(canvas))
        {
            if (AssetStore.IdOf(source.Src) is { } id && await assets.GetAsync(tenant, id) is null)
            {
                violations.Add(new(source.Field, ErrorReasons.AssetNotFound, $"asset '{id}' does not exist"));
            }
        }

        return violations;
    }

    private async Task<string?> RefusalAsync(string url, CancellationToken ct)
    {
        var uri = new Uri(url);
        if (uri.UserInfo.Length > 0)
        {
            return "webhook URLs may not carry credentials";
        }

        try
        {
            await _guard.VetAsync(uri.Host, uri.Port, ct);
            return null;
        }
        catch (DestinationRefusedException)
        {
            return "resolves only to loopback, private, link-local or metadata addresses, which webhooks may not reach";
        }
        catch (SocketException)
        {
            return $"the host '{uri.Host}' does not resolve";
        }
    }
}
