using System.Globalization;
using Microsoft.AspNetCore.Builder;
using RenderFarm.Embedded;

namespace RenderFarm.Testing;

/// <summary>What tests do to a running embedded farm beyond what the product needs: look inside, restart and add coordinators.</summary>
public static class FarmHostTesting
{
    extension(FarmHost host)
    {
        /// <summary>URL the farm's nodes dial.</summary>
        public string CoordinatorUrl => host.Settings[FarmSettings.NodeCoordinatorUrl]!;

        /// <summary>Redis configuration string in use (Garnet's when embedded).</summary>
        public string RedisConfiguration => host.Settings[FarmSettings.RedisConfiguration]!;

        /// <summary>The node token nodes present.</summary>
        public string NodeToken => host.Settings[FarmSettings.NodeToken]!;

        /// <summary>The facade's services (its endpoints, options).</summary>
        public IServiceProvider FacadeServices => host.Facade?.Services ?? throw new InvalidOperationException("the facade is not running");

        /// <summary>Stops the coordinator and starts a new one on the same port, as a restart of that process would.</summary>
        public async Task RestartCoordinatorAsync(CancellationToken cancellationToken = default)
        {
            if (host.Coordinator is { } running)
            {
                await FarmHost.StopAsync(running, cancellationToken);
            }

            host.Coordinator = await host.StartCoordinatorHostAsync(cancellationToken: cancellationToken);
        }

        /// <summary>
        /// Starts another coordinator replica on a free loopback port, with id <paramref name="id"/>, on the
        /// same Redis; returns the URL nodes dial. It stops with the farm, or by <c>StopCoordinatorAsync</c>.
        /// </summary>
        public async Task<string> StartCoordinatorAsync(string id, CancellationToken cancellationToken = default)
        {
            var port = EmbeddedRedis.FreePort().ToString(CultureInfo.InvariantCulture);
            var app = await host.StartCoordinatorHostAsync(new Dictionary<string, string?>
            {
                [FarmSettings.CoordinatorId] = id,
                [FarmSettings.CoordinatorPort] = port,
            }, cancellationToken);
            var url = $"http://127.0.0.1:{port}";
            host.ExtraCoordinators.Add((url, app));
            return url;
        }

        /// <summary>Stops a coordinator gracefully, as SIGTERM does: the farm's own (<c>CoordinatorUrl</c>) or one from <c>StartCoordinatorAsync</c>.</summary>
        public async Task StopCoordinatorAsync(string url, CancellationToken cancellationToken = default)
        {
            WebApplication app;
            if (url == host.CoordinatorUrl)
            {
                app = host.Coordinator ?? throw new InvalidOperationException("the farm's coordinator is not running");
                host.Coordinator = null;
            }
            else
            {
                var extra = host.ExtraCoordinators.Single(c => c.Url == url);
                host.ExtraCoordinators.Remove(extra);
                app = extra.App;
            }

            await FarmHost.StopAsync(app, cancellationToken);
        }
    }
}
