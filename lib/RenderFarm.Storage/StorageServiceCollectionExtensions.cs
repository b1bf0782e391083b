using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RenderFarm.Storage.FileSystem;

namespace RenderFarm.Storage;

/// <summary>Registration of the object stores.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="StorageOptions"/> (section <c>RenderFarm:Storage</c>, validated at start),
    /// <see cref="FileSystemObjectStore"/> as <see cref="IObjectStore"/>, and the handler behind
    /// <see cref="ObjectStoreEndpoints.MapObjectStore"/>. Uses <see cref="TimeProvider.System"/> unless a
    /// <see cref="TimeProvider"/> is already registered.
    /// </summary>
    public static IServiceCollection AddFileSystemObjectStore(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<FileSystemObjectStore>();
        services.TryAddSingleton<IObjectStore>(sp => sp.GetRequiredService<FileSystemObjectStore>());
        services.TryAddSingleton<ObjectRequestHandler>();
        return services;
    }
}
