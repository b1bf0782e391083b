using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace RenderFarm.Contracts;

/// <summary>
/// The one place domain failures become gRPC statuses: every error carries a google.rpc.Status
/// with an ErrorInfo (stable reason, domain, metadata) and, where a field is at fault, a BadRequest.
/// JSON transcoding turns the same status into the REST body.
/// </summary>
public static class Problems
{
    /// <summary>ErrorInfo domain of every RenderFarm error.</summary>
    public const string Domain = "renderfarm.dev";

    /// <summary>Descriptors of the detail messages, for JSON formatting of error bodies.</summary>
    public static IEnumerable<Google.Protobuf.Reflection.MessageDescriptor> DetailDescriptors =>
        [ErrorInfo.Descriptor, BadRequest.Descriptor, RetryInfo.Descriptor, QuotaFailure.Descriptor];

    /// <summary>One field at fault.</summary>
    public sealed record Violation(string Field, string Reason, string Description);

    /// <summary>INVALID_ARGUMENT naming every field at fault; the first one's reason is the ErrorInfo reason.</summary>
    public static RpcException InvalidArgument(IReadOnlyList<Violation> violations)
    {
        var first = violations[0];
        var message = first.Field.Length == 0 ? first.Description : $"{first.Field}: {first.Description}";
        if (violations.Count > 1)
        {
            message += $" (and {violations.Count - 1} more)";
        }

        var badRequest = new BadRequest();
        badRequest.FieldViolations.Add(violations.Select(v => new BadRequest.Types.FieldViolation
        {
            Field = v.Field,
            Description = v.Description,
            Reason = v.Reason,
        }));
        return Build(StatusCode.InvalidArgument, first.Reason, message,
            new Dictionary<string, string> { ["field"] = first.Field }, badRequest);
    }

    /// <summary>INVALID_ARGUMENT for one field.</summary>
    public static RpcException InvalidArgument(string field, string reason, string description) =>
        InvalidArgument([new Violation(field, reason, description)]);

    /// <summary>NOT_FOUND with a catalogue reason, e.g. <see cref="ErrorReasons.ProductionNotFound"/> for ("productions", id).</summary>
    public static RpcException NotFound(string reason, string collection, string id)
    {
        var singular = collection.EndsWith('s') ? collection[..^1] : collection;
        return Build(StatusCode.NotFound, reason, $"{singular} '{id}' does not exist",
            new Dictionary<string, string> { ["resource"] = $"{collection}/{id}" });
    }

    /// <summary>ALREADY_EXISTS with a stable reason.</summary>
    public static RpcException AlreadyExists(string reason, string message, IDictionary<string, string>? metadata = null) =>
        Build(StatusCode.AlreadyExists, reason, message, metadata);

    /// <summary>FAILED_PRECONDITION with a stable reason.</summary>
    public static RpcException FailedPrecondition(string reason, string message, IDictionary<string, string>? metadata = null) =>
        Build(StatusCode.FailedPrecondition, reason, message, metadata);

    /// <summary>UNAUTHENTICATED with a stable reason.</summary>
    public static RpcException Unauthenticated(string reason, string message) =>
        Build(StatusCode.Unauthenticated, reason, message);

    /// <summary>PERMISSION_DENIED with a stable reason.</summary>
    public static RpcException PermissionDenied(string reason, string message) =>
        Build(StatusCode.PermissionDenied, reason, message);

    /// <summary>RESOURCE_EXHAUSTED (HTTP 429) with a stable reason: a limit or quota was reached.</summary>
    public static RpcException ResourceExhausted(string reason, string message, IDictionary<string, string>? metadata = null) =>
        Build(StatusCode.ResourceExhausted, reason, message, metadata);

    /// <summary>UNAVAILABLE with a stable reason (the caller may retry).</summary>
    public static RpcException Unavailable(string reason, string message) =>
        Build(StatusCode.Unavailable, reason, message);

    /// <summary>A status with an ErrorInfo and optional further details.</summary>
    public static RpcException Build(StatusCode code, string reason, string message, IDictionary<string, string>? metadata = null, params IMessage[] details)
    {
        var info = new ErrorInfo { Reason = reason, Domain = Domain };
        if (metadata is not null)
        {
            info.Metadata.Add(metadata);
        }

        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        status.Details.Add(Any.Pack(info));
        status.Details.AddRange(details.Select(Any.Pack));
        var trailers = new Metadata { { "grpc-status-details-bin", status.ToByteArray() } };
        return new RpcException(new Grpc.Core.Status(code, message), trailers, message);
    }

    /// <summary>The ErrorInfo of an error thrown by <see cref="Build"/>, for clients and tests.</summary>
    public static ErrorInfo? GetErrorInfo(this RpcException exception) => exception.GetStatusDetail<ErrorInfo>();

    /// <summary>The BadRequest of an error, when a field was at fault.</summary>
    public static BadRequest? GetBadRequest(this RpcException exception) => exception.GetStatusDetail<BadRequest>();

    /// <summary>The google.rpc.Status an error carries (code and message alone when it has no details).</summary>
    public static Google.Rpc.Status ToStatus(this RpcException exception)
    {
        var bin = exception.Trailers.GetValueBytes("grpc-status-details-bin");
        return bin is null
            ? new Google.Rpc.Status { Code = (int)exception.StatusCode, Message = exception.Status.Detail }
            : Google.Rpc.Status.Parser.ParseFrom(bin);
    }

    /// <summary>Formats an error as the JSON body REST callers get, details included.</summary>
    public static string ToJson(this RpcException exception) => ErrorJson.Format(exception.ToStatus());

    private static readonly JsonFormatter ErrorJson =
        new(JsonFormatter.Settings.Default.WithTypeRegistry(TypeRegistry.FromMessages(DetailDescriptors)));

    private static T? GetStatusDetail<T>(this RpcException exception) where T : class, IMessage<T>, new()
    {
        var bin = exception.Trailers.GetValueBytes("grpc-status-details-bin");
        if (bin is null)
        {
            return null;
        }

        var status = Google.Rpc.Status.Parser.ParseFrom(bin);
        var descriptor = new T().Descriptor;
        return status.Details.FirstOrDefault(d => d.Is(descriptor))?.Unpack<T>();
    }
}
