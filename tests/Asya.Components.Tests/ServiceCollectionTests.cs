using Asya.Components.Abstractions;
using Asya.Components.SecretStores;
using Microsoft.Extensions.DependencyInjection;

namespace Asya.Components.Tests;

public sealed class ServiceCollectionTests
{
    [Fact]
    public void AddAsyaComponents_RegistersRegistryLoaderAndSecretStoresOnce()
    {
        var services = new ServiceCollection();

        services.AddAsyaComponents().AddAsyaComponents();

        Assert.Single(services, d => d.ServiceType == typeof(ComponentRegistry));
        Assert.Single(services, d => d.ServiceType == typeof(ComponentLoader));
        var factories = services.Where(d => d.ServiceType == typeof(IComponentFactory)).Select(d => d.ImplementationType).ToList();
        Assert.Equal([typeof(LocalEnvSecretStoreFactory), typeof(LocalFileSecretStoreFactory)], factories);
    }
}
