using RenderFarm.Egress;
using Microsoft.Extensions.Options;

namespace RenderFarm.Node.Media;

internal sealed class MediaOptionsValidator : IValidateOptions<MediaOptions>
{
    public ValidateOptionsResult Validate(string? name, MediaOptions options)
    {
        var failures = new List<string>();
        foreach (var entry in options.AllowedHosts)
        {
            if (!AllowListEntry.TryParse(entry, out _))
            {
                failures.Add($"{MediaOptions.Section}:AllowedHosts entry '{entry}' is not a host, IP, CIDR range or one of those with :port.");
            }
        }
        if (options.MaxBytes <= 0 || options.CacheMaxBytes <= 0)
        {
            failures.Add($"{MediaOptions.Section}:MaxBytes and CacheMaxBytes must be positive.");
        }
        if (options.FetchTimeout <= TimeSpan.Zero || options.ProbeTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{MediaOptions.Section}:FetchTimeout and ProbeTimeout must be positive.");
        }
        if (options.MaxRedirects is < 0 or > 20)
        {
            failures.Add($"{MediaOptions.Section}:MaxRedirects must be within 0..20.");
        }
        if (string.IsNullOrWhiteSpace(options.CacheDirectory) || string.IsNullOrWhiteSpace(options.FfprobePath))
        {
            failures.Add($"{MediaOptions.Section}:CacheDirectory and FfprobePath are required.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
