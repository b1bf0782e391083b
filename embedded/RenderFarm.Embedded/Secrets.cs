using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace RenderFarm.Embedded;

/// <summary>Secrets the embedded default generates once and keeps in its data directory.</summary>
/// <param name="NodeToken">Token nodes present to the coordinator.</param>
/// <param name="SigningKey">HMAC key of presigned URLs.</param>
/// <param name="AdminKey">Raw admin API key of tenant "default" (the facade's bootstrap key).</param>
/// <param name="WebhookSecret">HMAC key of webhook signatures.</param>
internal sealed record Secrets(string NodeToken, string SigningKey, string AdminKey = "", string WebhookSecret = "")
{
    public static Secrets LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "secrets.json");
        var existing = File.Exists(path) ? JsonSerializer.Deserialize<Secrets>(File.ReadAllText(path)) : null;
        if (existing is { NodeToken.Length: > 0, SigningKey.Length: > 0, AdminKey.Length: > 0, WebhookSecret.Length: > 0 })
        {
            return existing;
        }

        // A data directory from an older version keeps the secrets it has and gains the missing ones.
        var secrets = existing is { NodeToken.Length: > 0, SigningKey.Length: > 0 }
            ? existing with
            {
                AdminKey = existing.AdminKey is { Length: > 0 } admin ? admin : NewApiKey(),
                WebhookSecret = existing.WebhookSecret is { Length: > 0 } hook ? hook : Random(),
            }
            : new Secrets(Random(), Random(), NewApiKey(), Random());
        Directory.CreateDirectory(dataDirectory);
        File.WriteAllText(path, JsonSerializer.Serialize(secrets));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return secrets;
    }

    private static string NewApiKey() => "rf_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private static string Random() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
}
