using System.Globalization;
using RenderFarm.Contracts.V1;

namespace RenderFarm.State;

/// <summary>
/// A plan's preview stills run as an internal production: HIGH priority, under a tenant of their
/// own (so they never show in the caller's listings), marked by a reserved label carrying the
/// times. The coordinator turns the label into an Assignment.preview; the node writes JPEGs.
/// </summary>
public static class PreviewJobs
{
    /// <summary>Label prefix reserved for the farm: callers cannot set labels under it.</summary>
    public const string ReservedLabelPrefix = "renderfarm.dev/";

    /// <summary>Label holding the preview times, e.g. "0.5,1.5".</summary>
    public const string Label = ReservedLabelPrefix + "preview";

    /// <summary>The tenant preview productions of <paramref name="tenant"/> are stored under.</summary>
    public static string Tenant(string tenant) => tenant + "~previews";

    /// <summary>The label value for the given times.</summary>
    public static string FormatTimes(IEnumerable<double> times) =>
        string.Join(',', times.Select(t => t.ToString("R", CultureInfo.InvariantCulture)));

    /// <summary>The preview times of a production's spec, or null when it is no preview.</summary>
    public static IReadOnlyList<double>? Times(CreateProductionRequest spec) =>
        spec.Labels.TryGetValue(Label, out var value)
            ? [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture))]
            : null;

    /// <summary>Object key of still <paramref name="index"/> in an attempt's folder.</summary>
    public static string ObjectKey(string attemptFolder, int index) => $"{attemptFolder}preview-{index:00}.jpg";
}
