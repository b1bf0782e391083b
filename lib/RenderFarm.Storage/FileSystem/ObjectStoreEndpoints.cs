using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace RenderFarm.Storage.FileSystem;

/// <summary>Serves the filesystem store over HTTP at <c>/objects/{key}</c>, for presigned URLs only.</summary>
public static class ObjectStoreEndpoints
{
    /// <summary>Route pattern of the object endpoints.</summary>
    public const string Pattern = "/objects/{**key}";

    /// <summary>
    /// Maps GET/HEAD (ranged) and PUT of <c>/objects/{key}?expires=…&amp;sig=…</c>. Requests without
    /// a valid, unexpired signature for their method get 403.
    /// </summary>
    /// <remarks>Maps nothing when the farm stores objects elsewhere (S3): its URLs point at that service.</remarks>
    public static IEndpointRouteBuilder MapObjectStore(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetService<ObjectRequestHandler>() is null)
        {
            return endpoints;
        }
        endpoints.MapMethods(Pattern, [HttpMethods.Get, HttpMethods.Head], context =>
            context.RequestServices.GetRequiredService<ObjectRequestHandler>().GetAsync(context))
            .WithName("GetObject");
        endpoints.MapMethods(Pattern, [HttpMethods.Put], context =>
            context.RequestServices.GetRequiredService<ObjectRequestHandler>().PutAsync(context))
            .WithName("PutObject");
        return endpoints;
    }
}
