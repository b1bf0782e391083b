using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RenderFarm.Node.Media;

namespace RenderFarm.Node.Tests.Media;

/// <summary>An <see cref="IMediaSource"/> built through <c>AddMedia</c> from configuration, with its own cache directory.</summary>
internal sealed class MediaSourceBuilder : IDisposable
{
    private readonly Dictionary<string, string?> _settings = new();
    private ServiceProvider? _services;

    public MediaSourceBuilder()
    {
        CacheDirectory = Path.Combine(Path.GetTempPath(), "rf-media-cache-tests", Guid.NewGuid().ToString("N"));
        _settings[$"{MediaOptions.Section}:CacheDirectory"] = CacheDirectory;
    }

    public string CacheDirectory { get; }

    public MediaSourceBuilder Allow(params string[] entries)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            _settings[$"{MediaOptions.Section}:AllowedHosts:{i}"] = entries[i];
        }
        return this;
    }

    public MediaSourceBuilder Set(string option, string value)
    {
        _settings[$"{MediaOptions.Section}:{option}"] = value;
        return this;
    }

    public IMediaSource Build()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(_settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddMedia();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return _services.GetRequiredService<IMediaSource>();
    }

    public void Dispose()
    {
        _services?.Dispose();
        if (Directory.Exists(CacheDirectory))
        {
            Directory.Delete(CacheDirectory, recursive: true);
        }
    }
}
