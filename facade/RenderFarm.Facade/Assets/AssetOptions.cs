namespace RenderFarm.Facade.Assets;

/// <summary>Limits of uploaded assets.</summary>
public sealed class AssetOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RenderFarm:Assets";

    /// <summary>Largest asset a caller may declare (the filesystem store's MaxUploadBytes caps it too).</summary>
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Lifetime of an asset's upload URL.</summary>
    public TimeSpan UploadUrlTtl { get; set; } = TimeSpan.FromHours(1);
}
