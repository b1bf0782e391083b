using Microsoft.Extensions.Options;

namespace RenderFarm.Storage.FileSystem;

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public const int MinSigningKeyLength = 32;

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Root))
        {
            failures.Add($"{StorageOptions.Section}:Root is required.");
        }
        if (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var baseUrl)
            || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(baseUrl.Query))
        {
            failures.Add($"{StorageOptions.Section}:PublicBaseUrl must be an absolute http(s) URL without a query.");
        }
        if (options.SigningKey is null || options.SigningKey.Length < MinSigningKeyLength)
        {
            failures.Add($"{StorageOptions.Section}:SigningKey must be at least {MinSigningKeyLength} characters.");
        }
        if (options.DownloadUrlTtl <= TimeSpan.Zero || options.UploadUrlTtl <= TimeSpan.Zero)
        {
            failures.Add($"{StorageOptions.Section}:DownloadUrlTtl and UploadUrlTtl must be positive.");
        }
        if (options.MaxUploadBytes <= 0)
        {
            failures.Add($"{StorageOptions.Section}:MaxUploadBytes must be positive.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
