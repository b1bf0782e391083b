using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RenderFarm.Storage.FileSystem;
using RenderFarm.Storage.S3;

namespace RenderFarm.Storage;

/// <summary>Registration of the object stores.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the object store that <c>RenderFarm:Storage:Kind</c> names: the filesystem store
    /// (default) or the S3 store.
    /// </summary>
    public static IServiceCollection AddObjectStore(this IServiceCollection services, IConfiguration configuration) =>
        configuration.GetValue<StorageKind?>($"{StorageOptions.Section}:{nameof(StorageOptions.Kind)}") == StorageKind.S3
            ? services.AddS3ObjectStore()
            : services.AddFileSystemObjectStore();

    /// <summary>
    /// Registers <see cref="StorageOptions"/> (section <c>RenderFarm:Storage</c>, S3 settings validated
    /// at start) and <see cref="S3ObjectStore"/> as <see cref="IObjectStore"/>.
    /// </summary>
    public static IServiceCollection AddS3ObjectStore(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, S3OptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<S3ObjectStore>();
        services.TryAddSingleton<IObjectStore>(sp => sp.GetRequiredService<S3ObjectStore>());
        return services;
    }

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
