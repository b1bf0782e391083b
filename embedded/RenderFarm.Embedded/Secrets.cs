using System.Security.Cryptography;
using System.Text.Json;

namespace RenderFarm.Embedded;

/// <summary>Secrets the embedded default generates once and keeps in its data directory.</summary>
internal sealed record Secrets(string NodeToken, string SigningKey)
{
    public static Secrets LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "secrets.json");
        if (File.Exists(path) && JsonSerializer.Deserialize<Secrets>(File.ReadAllText(path)) is { NodeToken.Length: > 0, SigningKey.Length: > 0 } existing)
        {
            return existing;
        }

        var secrets = new Secrets(Random(), Random());
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
