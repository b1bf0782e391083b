using Grpc.Core;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.Facade.Productions;

/// <summary>
/// The <c>Idempotency-Key</c> header (REST; <c>idempotency-key</c> metadata on gRPC) stands for
/// <c>requestId</c> when the body has none; naming two different ids is refused.
/// </summary>
internal static class IdempotencyKey
{
    public const string Header = "Idempotency-Key";

    public static CreateProductionRequest Apply(CreateProductionRequest request, ServerCallContext context)
    {
        var header = context.GetHttpContext().Request.Headers[Header].ToString().Trim();
        if (header.Length == 0 || header == request.RequestId)
        {
            return request;
        }

        if (request.RequestId.Length > 0)
        {
            throw Problems.InvalidArgument("requestId", ErrorReasons.IdempotencyKeyMismatch,
                $"differs from the {Header} header; send one of them, or the same value in both");
        }

        var withKey = request.Clone();
        withKey.RequestId = header;
        return withKey;
    }
}
