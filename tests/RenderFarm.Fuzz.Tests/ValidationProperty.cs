using System.Reflection;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Grpc.Core;
using RenderFarm.CanvasModel;
using RenderFarm.Contracts;
using RenderFarm.Fuzz.Tests.Generation;

namespace RenderFarm.Fuzz.Tests;

/// <summary>
/// What validation promises for any request: it never throws; a refusal is INVALID_ARGUMENT whose
/// every violation has a field path into the request and a catalogued reason; an accepted canvas
/// plans without throwing into a canvas that is still valid.
/// </summary>
internal static partial class ValidationProperty
{
    private static readonly HashSet<string> Reasons = [.. typeof(ErrorReasons)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)];

    /// <returns>The violations; empty for a valid request.</returns>
    public static IReadOnlyList<FieldViolation> Check(FuzzRequest request)
    {
        // The facade receives JSON: the request survives the trip unchanged.
        var json = JsonFormatter.Default.Format(request.Canvas);
        Assert.Equal(request.Canvas, JsonParser.Default.Parse<Contracts.V1.Canvas>(json));

        var violations = CanvasValidator.Validate(request.Canvas, request.Output);
        if (violations.Count == 0)
        {
            var plan = CanvasPlanner.Plan(request.Canvas);
            Assert.True(double.IsFinite(plan.Duration) && plan.Duration >= 0, $"planned duration {plan.Duration}");
            Assert.Empty(CanvasValidator.Validate(plan.Canvas, request.Output));
            return violations;
        }
        foreach (var v in violations)
        {
            Assert.True(FieldPath().IsMatch(v.Field), $"'{v.Field}' is not a field path ({v.Reason}: {v.Description})");
            Assert.True(Reasons.Contains(v.Reason), $"{v.Field}: reason '{v.Reason}' is not in ErrorReasons");
            Assert.False(string.IsNullOrWhiteSpace(v.Description), $"{v.Field}: no description");
        }
        var error = Problems.InvalidArgument([.. violations.Select(v => new Problems.Violation(v.Field, v.Reason, v.Description))]);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(violations[0].Reason, error.GetErrorInfo()?.Reason);
        Assert.Equal(violations.Select(v => v.Field), error.GetBadRequest()!.FieldViolations.Select(f => f.Field));
        return violations;
    }

    [GeneratedRegex(@"^(canvas|output)(\.[a-z][A-Za-z]*(\[\d+\])?)*$")]
    private static partial Regex FieldPath();
}
