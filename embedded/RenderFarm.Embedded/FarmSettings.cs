using RenderFarm.Coordinator;
using RenderFarm.Facade;
using RenderFarm.Facade.Auth;
using RenderFarm.Node;
using RenderFarm.Node.Media;
using RenderFarm.State;
using RenderFarm.Storage;

namespace RenderFarm.Embedded;

/// <summary>Configuration keys the embedded farm reads or derives, named from the options they bind to.</summary>
internal static class FarmSettings
{
    public const string RedisConfiguration = $"{StateOptions.Section}:{nameof(StateOptions.Configuration)}";
    public const string FacadeRestPort = $"{FacadeOptions.Section}:{nameof(FacadeOptions.RestPort)}";
    public const string FacadeGrpcPort = $"{FacadeOptions.Section}:{nameof(FacadeOptions.GrpcPort)}";
    public const string FacadeBindAddress = $"{FacadeOptions.Section}:{nameof(FacadeOptions.BindAddress)}";
    public const string CoordinatorId = $"{CoordinatorOptions.Section}:{nameof(CoordinatorOptions.Id)}";
    public const string CoordinatorPort = $"{CoordinatorOptions.Section}:{nameof(CoordinatorOptions.Port)}";
    public const string CoordinatorBindAddress = $"{CoordinatorOptions.Section}:{nameof(CoordinatorOptions.BindAddress)}";
    public const string CoordinatorMetricsPort = $"{CoordinatorOptions.Section}:{nameof(CoordinatorOptions.MetricsPort)}";
    public const string CoordinatorNodeToken = $"{CoordinatorOptions.Section}:{nameof(CoordinatorOptions.NodeToken)}";
    public const string NodeToken = $"{NodeOptions.Section}:{nameof(NodeOptions.Token)}";
    public const string NodeCoordinatorUrl = $"{NodeOptions.Section}:{nameof(NodeOptions.CoordinatorUrl)}";
    public const string NodeMetricsPort = $"{NodeOptions.Section}:{nameof(NodeOptions.MetricsPort)}";
    public const string NodeId = $"{NodeOptions.Section}:{nameof(NodeOptions.NodeId)}";
    public const string NodeWorkDirectory = $"{NodeOptions.Section}:{nameof(NodeOptions.WorkDirectory)}";
    public const string StorageKind = $"{StorageOptions.Section}:{nameof(StorageOptions.Kind)}";
    public const string StorageRoot = $"{StorageOptions.Section}:{nameof(StorageOptions.Root)}";
    public const string StorageSigningKey = $"{StorageOptions.Section}:{nameof(StorageOptions.SigningKey)}";
    public const string StoragePublicBaseUrl = $"{StorageOptions.Section}:{nameof(StorageOptions.PublicBaseUrl)}";
    public const string MediaCacheDirectory = $"{MediaOptions.Section}:{nameof(MediaOptions.CacheDirectory)}";
    public const string MediaAllowedHosts = $"{MediaOptions.Section}:{nameof(MediaOptions.AllowedHosts)}";
    public const string BootstrapAdminKey = $"{AuthOptions.Section}:{nameof(AuthOptions.BootstrapAdminKey)}";
    public const string WebhookSigningSecret = $"{WebhookOptions.Section}:{nameof(WebhookOptions.SigningSecret)}";
}
