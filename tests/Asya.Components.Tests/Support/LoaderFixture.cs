using Asya.Components.Abstractions;
using Asya.Components.SecretStores;
using Asya.Testing;

namespace Asya.Components.Tests.Support;

/// <summary>A temp resources folder plus a loader over fake pub/sub and state factories and the real secret stores.</summary>
internal sealed class LoaderFixture : IDisposable
{
    public LoaderFixture(string appId = "orders", string? ns = null, string? podName = null, string? failOnKey = null)
    {
        PubSub = new FakeFactory(["pubsub.fake"], ["host", "deletedWhenUnused", "password", "count", "enabled", "ratio", "json"], failOnKey: failOnKey);
        State = new FakeFactory(["state.fake"], ["path"]);
        Binding = new FakeFactory(["bindings.fake"], ["queueName"]);
        Registry = new ComponentRegistry([PubSub, State, Binding, new LocalEnvSecretStoreFactory(), new LocalFileSecretStoreFactory()]);
        Loader = new ComponentLoader(Registry, NoServices.Instance, Logger, new ComponentLoaderOptions { AppId = appId, Namespace = ns, PodName = podName });
    }

    public TempDirectory Dir { get; } = new();

    public FakeFactory PubSub { get; }

    public FakeFactory State { get; }

    public FakeFactory Binding { get; }

    public ComponentRegistry Registry { get; }

    public ListLogger<ComponentLoader> Logger { get; } = new();

    public ComponentLoader Loader { get; }

    public string Write(string fileName, string yaml)
    {
        var path = Dir.Combine(fileName);
        File.WriteAllText(path, yaml);
        return path;
    }

    public Task<LoadedComponents> LoadAsync() => Loader.LoadAsync([Dir.Path], CancellationToken.None);

    public Task<LoadedComponents> CheckAsync() => Loader.CheckAsync([Dir.Path], CancellationToken.None);

    public async Task<ComponentConfigurationException> LoadFailsAsync() =>
        await Assert.ThrowsAsync<ComponentConfigurationException>(LoadAsync);

    public void Dispose() => Dir.Dispose();

    /// <summary>A Component document; <paramref name="extra"/> is appended at top level (scopes, auth…).</summary>
    public static string Component(string name, string type, string metadata = "", string extra = "") =>
        $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: {name}
        spec:
          type: {type}
          version: v1
          metadata:
        {metadata}
        {extra}
        """;
}
