namespace RenderFarm.Facade.Templates;

/// <summary>Limits of saved templates.</summary>
public sealed class TemplateOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RenderFarm:Templates";

    /// <summary>Most templates one tenant may keep (0 = unlimited).</summary>
    public int MaxPerTenant { get; set; } = 1000;

    /// <summary>Largest template, in bytes of its protobuf encoding (about its JSON size, less field names).</summary>
    public int MaxBytes { get; set; } = 1024 * 1024;
}
