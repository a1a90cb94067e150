using Asya.Components;
using Asya.Components.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace Asya.Bench;

/// <summary>The embedded SQLite transport, created through the same registry the sidecar uses.</summary>
internal static class BenchTransport
{
    public static async Task<(ITransport Transport, ServiceProvider Services)> CreateSqliteAsync(string databasePath)
    {
        var services = new ServiceCollection().AddLogging().AddAsyaComponents().AddSqliteComponents().BuildServiceProvider();
        var spec = ComponentSpec.Create("bench", "pubsub.sqlite", ("connectionString", databasePath));
        var transport = await LoadedComponents.CreateAsync<ITransport>(
            services.GetRequiredService<ComponentRegistry>(), services, spec, CancellationToken.None);
        return (transport, services);
    }
}
