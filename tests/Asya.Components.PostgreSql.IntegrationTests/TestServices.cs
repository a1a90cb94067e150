namespace Asya.Components.PostgreSql.IntegrationTests;

/// <summary>A minimal service provider holding a few singletons, enough for component factories.</summary>
internal sealed class TestServices(params object[] services) : IServiceProvider
{
    public object? GetService(Type serviceType) => services.FirstOrDefault(serviceType.IsInstanceOfType);
}
