using System.Security.Cryptography;
using System.Text.Json;

namespace RenderFarm.Embedded;

/// <summary>Secrets the embedded default generates once and keeps in its data directory.</summary>
internal sealed record Secrets(string NodeToken, string SigningKey, string? WebhookSecret = null)
{
    public static Secrets LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "secrets.json");
        var existing = File.Exists(path) ? JsonSerializer.Deserialize<Secrets>(File.ReadAllText(path)) : null;
        if (existing is { NodeToken.Length: > 0, SigningKey.Length: > 0, WebhookSecret.Length: > 0 })
        {
            return existing;
        }

        // A data directory from before webhooks keeps its node token and signing key.
        var secrets = existing is { NodeToken.Length: > 0, SigningKey.Length: > 0 }
            ? existing with { WebhookSecret = Random() }
            : new Secrets(Random(), Random(), Random());
        Directory.CreateDirectory(dataDirectory);
        File.WriteAllText(path, JsonSerializer.Serialize(secrets));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return secrets;
    }

    private static string Random() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
}
