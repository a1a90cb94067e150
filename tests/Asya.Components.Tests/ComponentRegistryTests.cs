using Asya.Components.Abstractions;
using Asya.Components.Tests.Support;

namespace Asya.Components.Tests;

public sealed class ComponentRegistryTests
{
    [Theory]
    [InlineData("v1")]
    [InlineData("")]
    [InlineData("v0")]
    [InlineData("V1")]
    public void Resolve_InitialVersions_FallBackToTheSameFactory(string version)
    {
        var factory = new FakeFactory(["pubsub.fake"], []);
        var registry = new ComponentRegistry([factory]);

        Assert.Same(factory, registry.Resolve("pubsub.fake", version, null));
    }

    [Fact]
    public void Resolve_AliasTypesAndCase_FindTheFactory()
    {
        var factory = new FakeFactory(["transport.fake", "pubsub.fake", "bindings.fake"], []);
        var registry = new ComponentRegistry([factory]);

        Assert.Same(factory, registry.Resolve("PubSub.Fake", "v1", null));
        Assert.Same(factory, registry.Resolve("bindings.fake", "v1", null));
        Assert.Equal(["bindings.fake", "pubsub.fake", "transport.fake"], registry.KnownTypes);
    }

    [Fact]
    public void Resolve_OtherVersion_IsSeparate()
    {
        var v1 = new FakeFactory(["state.fake"], []);
        var registry = new ComponentRegistry([v1, new OtherFakeFactory(["state.fake"], "v2")]);

        Assert.Same(v1, registry.Resolve("state.fake", "v1", null));
        Assert.NotSame(v1, registry.Resolve("state.fake", "v2", null));
        var error = Assert.Throws<ComponentConfigurationException>(() => registry.Resolve("state.fake", "v3", "x.yaml"));
        Assert.Equal("x.yaml: component type 'state.fake' has no version 'v3'; known versions: v1, v2", error.Message);
    }

    [Fact]
    public void Constructor_TwoFactoriesForOneKey_Throws()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            new ComponentRegistry([new FakeFactory(["state.fake"], []), new OtherFakeFactory(["STATE.fake"])]));

        Assert.Contains("state.fake/v1", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(OtherFakeFactory), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_UnknownType_ListsKnownTypesSorted()
    {
        var registry = new ComponentRegistry([new FakeFactory(["state.zeta", "pubsub.alpha"], []), new OtherFakeFactory(["pubsub.beta"])]);

        var error = Assert.Throws<ComponentConfigurationException>(() => registry.Resolve("pubsub.kafka", "v1", "component 'bus' (/x/bus.yaml)"));

        Assert.Equal(
            "component 'bus' (/x/bus.yaml): unknown component type 'pubsub.kafka'; known types: pubsub.alpha, pubsub.beta, state.zeta",
            error.Message);
        Assert.False(registry.TryResolve("pubsub.kafka", "v1", out _));
    }

    [Fact]
    public async Task CreateAsync_SpecBuiltInCode_CreatesAndInitialises()
    {
        var factory = new FakeFactory(["state.fake"], ["path"]);
        var registry = new ComponentRegistry([factory]);
        var spec = ComponentSpec.Create("results", "state.fake", ("path", "/tmp/x"));

        var component = await LoadedComponents.CreateAsync<FakeComponent>(registry, NoServices.Instance, spec, CancellationToken.None);
        var again = await LoadedComponents.CreateAsync<IComponent>(registry, NoServices.Instance, spec, CancellationToken.None);

        Assert.Same(spec, component.Spec);
        Assert.NotSame(component, again);
        Assert.Equal(2, factory.Created.Count);
    }

    [Fact]
    public async Task CreateAsync_WrongRole_NamesComponentTypeAndRoleAndDisposes()
    {
        var factory = new FakeFactory(["state.redis"], []);
        var registry = new ComponentRegistry([factory]);
        var spec = ComponentSpec.Create("x", "state.redis") with { SourceFile = "/m/x.yaml" };

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(
            () => LoadedComponents.CreateAsync<ITransport>(registry, NoServices.Instance, spec, CancellationToken.None));

        Assert.Equal("component 'x' (/m/x.yaml) has type state.redis, which is not a transport", error.Message);
        Assert.True(Assert.Single(factory.Created).Disposed);
    }
}
