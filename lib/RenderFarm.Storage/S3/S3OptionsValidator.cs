using Microsoft.Extensions.Options;

namespace RenderFarm.Storage.S3;

internal sealed class S3OptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var s3 = options.S3;
        var section = $"{StorageOptions.Section}:S3";
        var failures = new List<string>();
        foreach (var (key, value, required) in new[] { ("Endpoint", s3.Endpoint, true), ("PublicEndpoint", s3.PublicEndpoint, false) })
        {
            if ((required || value.Length > 0) && (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.AbsolutePath != "/"))
            {
                failures.Add($"{section}:{key} must be an absolute http(s) URL without a path.");
            }
        }
        if (string.IsNullOrWhiteSpace(s3.Bucket) || string.IsNullOrWhiteSpace(s3.AccessKey) || string.IsNullOrWhiteSpace(s3.SecretKey))
        {
            failures.Add($"{section}:Bucket, AccessKey and SecretKey are required.");
        }
        if (options.DownloadUrlTtl <= TimeSpan.Zero || options.UploadUrlTtl <= TimeSpan.Zero)
        {
            failures.Add($"{StorageOptions.Section}:DownloadUrlTtl and UploadUrlTtl must be positive.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
