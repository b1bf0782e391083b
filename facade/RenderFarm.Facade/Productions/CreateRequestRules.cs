using RenderFarm.CanvasModel;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.Facade.Productions;

/// <summary>Checks a create request beyond the canvas, and fills the defaults a stored request carries.</summary>
internal static class CreateRequestRules
{
    /// <summary>Label prefix reserved for the farm (plan, fingerprint): callers cannot set labels under it.</summary>
    public const string ReservedLabelPrefix = "renderfarm.dev/";

    public static List<Problems.Violation> Validate(CreateProductionRequest request)
    {
        var violations = CanvasValidator.Validate(request.Canvas, request.Output)
            .Select(v => new Problems.Violation(v.Field, v.Reason, v.Description))
            .ToList();
        if (request.DisplayName.Length > 512)
        {
            violations.Add(new("displayName", ErrorReasons.OutOfRange, "must be at most 512 characters"));
        }

        if (request.RequestId.Length > 128)
        {
            violations.Add(new("requestId", ErrorReasons.OutOfRange, "must be at most 128 characters"));
        }

        if (!System.Enum.IsDefined(request.Priority))
        {
            violations.Add(new("priority", ErrorReasons.InvalidEnum, "must be LOW, NORMAL or HIGH"));
        }

        if (request.WebhookUrl.Length > 0 &&
            (request.WebhookUrl.Length > 2048 || !Uri.TryCreate(request.WebhookUrl, UriKind.Absolute, out var hook) || hook.Scheme is not ("http" or "https")))
        {
            violations.Add(new("webhookUrl", ErrorReasons.InvalidUrl, "must be an absolute http(s) URL of at most 2048 characters"));
        }

        if (request.Labels.Count > 64)
        {
            violations.Add(new("labels", ErrorReasons.OutOfRange, "at most 64 labels"));
        }

        foreach (var (key, value) in request.Labels)
        {
            if (key.Length is 0 or > 63 || value.Length > 256)
            {
                violations.Add(new($"labels[{key}]", ErrorReasons.OutOfRange, "keys need 1..63 characters, values at most 256"));
            }
            else if (key.StartsWith(ReservedLabelPrefix, StringComparison.Ordinal))
            {
                violations.Add(new($"labels[{key}]", ErrorReasons.ReservedLabel, $"labels under {ReservedLabelPrefix} are set by the farm"));
            }
        }

        violations.AddRange(PlacementRules.Validate(request.Placement));
        violations.AddRange(Renditions.Validate(request.Renditions, request.Output).Select(v => new Problems.Violation(v.Field, v.Reason, v.Description)));
        return violations;
    }

    /// <summary>The request as stored: explicit output defaults and priority.</summary>
    public static CreateProductionRequest Normalize(CreateProductionRequest request)
    {
        var normalized = request.Clone();
        normalized.Output ??= new OutputSpec();
        var output = normalized.Output;
        if (output.Format == OutputSpec.Types.Format.Unspecified)
        {
            output.Format = OutputSpec.Types.Format.Mp4;
        }

        // Audio and still formats have no video stream, so no codec.
        if (output.VideoCodec == OutputSpec.Types.VideoCodec.Unspecified && !OutputKinds.IsAudioOnly(output.Format) && !OutputKinds.IsStills(output.Format))
        {
            output.VideoCodec = output.Format == OutputSpec.Types.Format.Webm ? OutputSpec.Types.VideoCodec.Vp9 : OutputSpec.Types.VideoCodec.H264;
        }

        if (output.Quality == OutputSpec.Types.Quality.Unspecified)
        {
            output.Quality = OutputSpec.Types.Quality.Standard;
        }

        if (normalized.Priority == Priority.Unspecified)
        {
            normalized.Priority = Priority.Normal;
        }

        return normalized;
    }
}
