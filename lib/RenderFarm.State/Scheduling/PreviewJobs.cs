namespace RenderFarm.State;

/// <summary>
/// A plan's preview stills run as a job of kind PREVIEW (<see cref="JobKinds.Preview"/>): HIGH
/// priority, under the tenant's preview account. The coordinator turns its payload into an
/// Assignment.preview; the node writes one JPEG per time into the attempt's folder.
/// </summary>
public static class PreviewJobs
{
    /// <summary>Object key of still <paramref name="index"/> in an attempt's folder.</summary>
    public static string ObjectKey(string attemptFolder, int index) => $"{attemptFolder}preview-{index:00}.jpg";
}
