using System.Collections.Concurrent;
using System.Reflection;
using StackExchange.Redis;

namespace RenderFarm.State;

/// <summary>The farm's Lua scripts: every state change is one of these, run atomically on the server.</summary>
internal static class ScriptLibrary
{
    private static readonly ConcurrentDictionary<string, string> Cache = new();

    public static string Get(string name) => Cache.GetOrAdd(name, static n => Read("prelude") + "\n" + Read(n));

    private static string Read(string name)
    {
        var assembly = typeof(ScriptLibrary).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(r => r.EndsWith($".Scripts.{name}.lua", StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Runs a script with the prefix and clock as its first two arguments. Every script declares
    /// the same key, {prefix}lock: Garnet (in Lua transaction mode) isolates a script only from
    /// scripts that declare a key it declares, and without it two dispatches on two connections
    /// could interleave. Redis runs every script alone anyway.
    /// </summary>
    public static Task<RedisResult> RunAsync(this IDatabase db, string script, string prefix, TimeProvider time, params RedisValue[] args)
    {
        var all = new RedisValue[args.Length + 2];
        all[0] = prefix;
        all[1] = time.GetUtcNow().ToUnixTimeMilliseconds();
        args.CopyTo(all, 2);
        return db.ScriptEvaluateAsync(Get(script), keys: [(RedisKey)(prefix + "lock")], values: all);
    }
}
