namespace RenderFarm.State;

/// <summary>Key and channel names; the Lua prelude builds the same names.</summary>
internal sealed class Keys(string prefix)
{
    public string Prefix { get; } = prefix;
    public string Production(string id) => $"{Prefix}prod:{id}";
    public string Events(string id) => $"{Prefix}events:{id}";
    public string FinishedChanged => $"{Prefix}productions:finished-changed";
    public string TenantProductions(string tenant) => $"{Prefix}tenant:{tenant}:prods";
    public string Idempotency(string tenant, string requestId) => $"{Prefix}idem:{tenant}:{requestId}";
    public string Nodes => $"{Prefix}nodes";
    public string Node(string id) => $"{Prefix}node:{id}";
    public string Signal => $"{Prefix}signal";
    public string Control => $"{Prefix}control";
    public string Webhooks => $"{Prefix}webhooks";
    public string Outputs => $"{Prefix}outputs";
    public string Asset(string id) => $"{Prefix}asset:{id}";
    public string TenantAssets(string tenant) => $"{Prefix}tenant:{tenant}:assets";
    public string DeletedAssets => $"{Prefix}assets:deleted";
    public string TenantStoredBytes(string tenant) => $"{Prefix}tenant:{tenant}:stored_bytes";
}
