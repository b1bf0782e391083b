using System.Text.RegularExpressions;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.Facade.Productions;

/// <summary>Checks a production's placement: encoder names and pool labels a node could advertise.</summary>
internal static partial class PlacementRules
{
    private const int MaxEncoders = 8;
    private const int MaxLabels = 16;

    public static IEnumerable<Problems.Violation> Validate(Placement? placement)
    {
        if (placement is null)
        {
            return [];
        }

        return Check("placement.required", placement.Required).Concat(Check("placement.preferred", placement.Preferred));
    }

    private static IEnumerable<Problems.Violation> Check(string path, NodeRequirements? requirements)
    {
        if (requirements is null)
        {
            yield break;
        }

        if (requirements.Encoders.Count > MaxEncoders)
        {
            yield return new($"{path}.encoders", ErrorReasons.LimitExceeded, $"at most {MaxEncoders} encoders");
        }

        for (var i = 0; i < requirements.Encoders.Count; i++)
        {
            if (!EncoderName().IsMatch(requirements.Encoders[i]))
            {
                yield return new($"{path}.encoders[{i}]", ErrorReasons.OutOfRange, "an encoder name has 1..64 characters of a-z, 0-9, '_' and '-', e.g. h264_nvenc");
            }
        }

        if (requirements.Labels.Count > MaxLabels)
        {
            yield return new($"{path}.labels", ErrorReasons.LimitExceeded, $"at most {MaxLabels} labels");
        }

        foreach (var (key, value) in requirements.Labels)
        {
            if (!LabelKey().IsMatch(key) || value.Length > 256)
            {
                yield return new($"{path}.labels[{key}]", ErrorReasons.OutOfRange, "label keys have 1..63 characters of letters, digits, '.', '_', '-' and '/'; values at most 256");
            }
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex EncoderName();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$")]
    private static partial Regex LabelKey();
}
