using Asya.Components.Abstractions;

namespace Asya.Components.Tests.Support;

/// <summary>A factory for any types and keys, creating <see cref="FakeComponent"/>s it remembers.</summary>
internal class FakeFactory(string[] types, string[] keys, string version = "v1", string? failOnKey = null) : IComponentFactory
{
    public List<FakeComponent> Created { get; } = [];

    public bool HangOnInit { get; set; }

    public IReadOnlyList<string> Types { get; } = types;

    public string Version { get; } = version;

    public IReadOnlyCollection<string> MetadataKeys { get; } = keys;

    public IComponent Create(IServiceProvider services)
    {
        var component = new FakeComponent { FailOnKey = failOnKey, HangOnInit = HangOnInit };
        Created.Add(component);
        return component;
    }
}

internal sealed class OtherFakeFactory(string[] types, string version = "v1") : FakeFactory(types, [], version)
{
}
