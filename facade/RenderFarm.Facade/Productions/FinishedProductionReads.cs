using Grpc.Core;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http.Features;
using RenderFarm.Contracts.V1;
using RenderFarm.Facade.Auth;
using RenderFarm.Hosting;

namespace RenderFarm.Facade.Productions;

/// <summary>
/// Answers <c>GET /v1/productions/{id}</c> for a finished production that
/// <see cref="FinishedProductions"/> holds with the JSON transcoding wrote for it the last time,
/// byte for byte, without going through the gRPC pipeline again. It runs after
/// <see cref="ApiKeyGate"/>, so the key, its read budget, its scope and the rate-limit headers are
/// checked and set as for any call; the tenancy check is the entry's. The JSON is captured on the
/// second read (the first only fills the cache with the view), so productions still running, which
/// are never kept, pay nothing for it.
/// </summary>
internal sealed class FinishedProductionReads(RequestDelegate next, FinishedProductions finished)
{
    private static readonly Google.Protobuf.Reflection.MethodDescriptor GetProduction =
        ProductionService.Descriptor.FindMethodByName(nameof(ProductionService.ProductionServiceBase.GetProduction));

    private static readonly string Method = $"/{GetProduction.Service.FullName}/{GetProduction.Name}";

    public async Task InvokeAsync(HttpContext http)
    {
        if (!HttpMethods.IsGet(http.Request.Method) || http.Request.QueryString.HasValue
            || http.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is not { } transcoded
            || transcoded.MethodDescriptor != GetProduction
            || http.Request.RouteValues["id"] is not string id
            || http.Features.Get<Caller>() is not { } caller
            || finished.Find(caller.Tenant, id) is not { } entry)
        {
            await next(http);
            return;
        }

        if (entry.Json is { } json)
        {
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = json.ContentType;
            http.Response.ContentLength = json.Body.Length;
            await http.Response.Body.WriteAsync(json.Body, http.RequestAborted);
            GrpcCallMetrics.Count("facade", Method, StatusCode.OK);
            return;
        }

        // Kept but not yet written: let transcoding write it (from the kept view) and keep the bytes.
        var body = http.Features.Get<IHttpResponseBodyFeature>()!;
        using var buffer = new MemoryStream();
        http.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(buffer, body));
        try
        {
            await next(http);
        }
        finally
        {
            http.Features.Set(body);
        }

        if (http.Response.StatusCode == StatusCodes.Status200OK && http.Response.ContentType is { } type
            && ReferenceEquals(finished.Find(caller.Tenant, id), entry))
        {
            entry.Json ??= new FinishedProductions.JsonResponse(buffer.ToArray(), type);
        }

        http.Response.ContentLength = buffer.Length;
        buffer.Position = 0;
        await buffer.CopyToAsync(http.Response.Body, http.RequestAborted);
    }
}
