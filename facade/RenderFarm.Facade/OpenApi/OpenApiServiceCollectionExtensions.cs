using Microsoft.OpenApi;

namespace RenderFarm.Facade.OpenApi;

/// <summary>The OpenAPI 3.1 document at /openapi/v1.json, generated from the transcoding metadata.</summary>
internal static class OpenApiServiceCollectionExtensions
{
    public static IServiceCollection AddFacadeOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", o =>
        {
            o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            o.AddDocumentTransformer<TranscodingDocumentTransformer>();
        });
}
