using System.Globalization;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts.V1;
using StackExchange.Redis;

namespace RenderFarm.State;

/// <summary>
/// Templates per tenant: a hash per template (<c>template:{id}</c>: tenant, the template's
/// protobuf bytes, its revision) and the tenant's index by create time
/// (<c>tenant:{tenant}:templates</c>). The revision is the template's etag.
/// </summary>
public sealed class TemplateStore(IConnectionMultiplexer redis, IOptions<StateOptions> options, TimeProvider time)
{
    private readonly string _prefix = options.Value.KeyPrefix;
    private IDatabase Db => redis.GetDatabase();

    /// <summary>Stores a new template (its id and create time set); false when the tenant already has <paramref name="maxPerTenant"/> (0 = no limit).</summary>
    public async Task<bool> CreateAsync(string tenant, Template template, int maxPerTenant) =>
        (long)await Db.RunAsync("template_create", _prefix, time, template.Id, tenant, Bytes(template),
            template.CreateTime.ToDateTimeOffset().ToUnixTimeMilliseconds(), maxPerTenant) == 1;

    /// <summary>The tenant's template with its etag, or null when the tenant has none with that id (another tenant's is none).</summary>
    public async Task<Template?> GetAsync(string tenant, string id)
    {
        if (!ProductionStore.IsId(id))
        {
            return null;
        }

        var fields = await Db.HashGetAsync(Key(id), ["tenant", "template", "rev"]);
        if (fields[0].IsNull || (string)fields[0]! != tenant || fields[1].IsNull)
        {
            return null;
        }

        var template = Template.Parser.ParseFrom((byte[])fields[1]!);
        template.Etag = (string)fields[2]!;
        return template;
    }

    /// <summary>Replaces a template read at revision <paramref name="etag"/>; of racing updates from one revision exactly one wins.</summary>
    public async Task<UpdateOutcome> UpdateAsync(string tenant, Template template, string etag)
    {
        var rev = (long)await Db.RunAsync("template_update", _prefix, time, template.Id, tenant, Bytes(template), etag);
        return rev switch
        {
            -1 => UpdateOutcome.NotFound,
            -2 => UpdateOutcome.Changed,
            _ => new UpdateOutcome(rev.ToString(CultureInfo.InvariantCulture)),
        };
    }

    /// <summary>Deletes a template; false when the tenant has none with that id.</summary>
    public async Task<bool> DeleteAsync(string tenant, string id) =>
        ProductionStore.IsId(id) && (long)await Db.RunAsync("template_delete", _prefix, time, id, tenant) == 1;

    /// <summary>A page of the tenant's templates, newest first, after <paramref name="after"/>.</summary>
    public async Task<(IReadOnlyList<Template> Items, PageCursor? Next)> ListAsync(string tenant, int pageSize, PageCursor? after) =>
        await IndexPages.ReadAsync(Db, $"{_prefix}tenant:{tenant}:templates", pageSize, after, id => GetAsync(tenant, id));

    private string Key(string id) => $"{_prefix}template:{id}";

    // Stored without what the store keeps itself.
    private static byte[] Bytes(Template template)
    {
        var stored = template.Clone();
        stored.Etag = "";
        return stored.ToByteArray();
    }
}

/// <summary>How an update ended: the new etag, or why there is none.</summary>
public sealed record UpdateOutcome(string? Etag, bool Missing = false)
{
    /// <summary>The tenant has no such template.</summary>
    public static readonly UpdateOutcome NotFound = new(null, Missing: true);

    /// <summary>The template changed since it was read.</summary>
    public static readonly UpdateOutcome Changed = new(Etag: null);
}
