using Asya.Components.Abstractions;
using Asya.Components.Tests.Support;
using Microsoft.Extensions.Logging;
using static Asya.Components.Tests.Support.LoaderFixture;

namespace Asya.Components.Tests;

/// <summary>Manifests as Dapr users write them (issue 11): daprd's reading of fields, features and fallbacks.</summary>
public sealed class DaprManifestLoadingTests : IDisposable
{
    private readonly LoaderFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task LoadAsync_ManifestFieldsInOtherCasing_ReadLikeDaprd()
    {
        // components-contrib's certification tests write auth.secretstore; Go's JSON decoder ignores the casing.
        var variable = "ASYA_T_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, "s3cret");
        _f.Write("a.yaml", """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: bus
            spec:
              Type: pubsub.fake
              version: v1
              metadata:
              - Name: password
                SecretKeyRef:
                  name: VARIABLE
            auth:
              secretstore: envstore
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: envstore
            spec:
              type: secretstores.local.env
              version: v1
            """.Replace("VARIABLE", variable, StringComparison.Ordinal));

        await using var loaded = await _f.LoadAsync();

        Assert.Equal("s3cret", loaded.Find("bus")!.Metadata["password"]);
    }

    [Fact]
    public async Task LoadAsync_IgnoreErrors_ComponentIsSkippedWithReasonInsteadOfFailingTheApp()
    {
        _f.Write("a.yaml", Component("broken", "state.fake", "    - {name: path, value: p}", "").Replace("  version: v1", "  version: v1\n  ignoreErrors: true", StringComparison.Ordinal)
            .Replace("type: state.fake", "type: state.nope", StringComparison.Ordinal)
            + "\n---\n" + Component("bus", "pubsub.fake"));

        await using var loaded = await _f.LoadAsync();

        Assert.Equal("bus", Assert.Single(loaded.Specs).Name);
        var outcome = loaded.Report.Components.Single(c => c.Name == "broken");
        Assert.Equal(ComponentStatus.Skipped, outcome.Status);
        Assert.StartsWith("not loaded, error ignored (spec.ignoreErrors: true): unknown component type 'state.nope'", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_UnquotedTemplate_WarnsWithTheFixAndUsesTheTag()
    {
        using var f = new LoaderFixture(podName: "pod-7");
        var file = f.Write("a.yaml", Component("bus", "pubsub.fake", "    - name: host\n      value: {podName}"));

        await using var loaded = await f.LoadAsync();

        Assert.Equal("pod-7", loaded.Find("bus")!.Metadata["host"]);
        var warning = Assert.Single(f.Logger.At(LogLevel.Warning));
        Assert.Contains($"component 'bus' ({file}:1): metadata 'host': value {{podName}} is unquoted", warning, StringComparison.Ordinal);
        Assert.Contains("quote it, value: \"{podName}\"", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_MisspelledType_SuggestsTheNearestType()
    {
        _f.Write("a.yaml", Component("bus", "pubsub.fak"));

        var error = await _f.LoadFailsAsync();

        Assert.Contains("unknown component type 'pubsub.fak' (did you mean pubsub.fake?)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_DaprRuntimeKeys_AreAcceptedWithOneNoEffectLinePerComponent()
    {
        _f.Write("a.yaml", Component("results", "state.fake", """
                - {name: outboxPublishPubsub, value: bus}
                - {name: outboxPublishTopic, value: done}
                - {name: outboxPubsub, value: bus}
                - {name: outboxDiscardWhenMissingState, value: "true"}
            """) + "\n---\n" + Component("orders-in", "bindings.fake", """
                - {name: queueName, value: orders}
                - {name: direction, value: input}
            """));

        await using var loaded = await _f.LoadAsync();

        var warnings = _f.Logger.At(LogLevel.Warning).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains(
            "'results'", StringComparison.Ordinal) && w.Contains("accepted, no effect here: outboxPublishPubsub, outboxPublishTopic, outboxPubsub, outboxDiscardWhenMissingState", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("'orders-in'", StringComparison.Ordinal) && w.Contains("accepted, no effect here: direction", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoadAsync_TopicScoping_IsNamedAsNotApplied()
    {
        _f.Write("a.yaml", Component("bus", "pubsub.fake", """
                - {name: allowedTopics, value: "orders,invoices"}
                - {name: publishingScopes, value: "orders=invoices"}
            """));

        await using var loaded = await _f.LoadAsync();

        Assert.Contains(
            "topic scoping not applied: allowedTopics, publishingScopes (the mesh routes by actor queue, not by topic",
            Assert.Single(_f.Logger.At(LogLevel.Warning)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_BadInitTimeout_IsAWarningOfThatComponent()
    {
        _f.Write("a.yaml", Component("bus", "pubsub.fake").Replace("  version: v1", "  version: v1\n  initTimeout: soon", StringComparison.Ordinal));

        await using var loaded = await _f.CheckAsync();

        Assert.Contains("spec.initTimeout 'soon' is not a duration", Assert.Single(Assert.Single(loaded.Report.Components).Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Choose_TransportSkippedByScopes_IsAConfigurationErrorNamingIt()
    {
        var file = _f.Write("a.yaml", Component("rabbit", "pubsub.fake", extra: "scopes: [judge]"));
        await using var loaded = await _f.LoadAsync();

        var error = Assert.Throws<ComponentConfigurationException>(
            () => ComponentSelection.Choose(loaded, "pubsub.", null, "orders", "--transport", allowEmbedded: false));

        Assert.StartsWith(
            $"no transport component is loaded for 'orders', so it would run on the embedded SQLite default instead of the manifests' transport: "
            + $"component 'rabbit' ({file}:1): scopes name judge, not 'orders'",
            error.Message, StringComparison.Ordinal);
        Assert.Contains("--allow-embedded-default", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Choose_TransportOfOtherNamespace_IsAnErrorUnlessTheUserOptsIn()
    {
        using var f = new LoaderFixture(ns: "prod");
        f.Write("a.yaml", Component("rabbit", "pubsub.fake").Replace("name: rabbit", "name: rabbit\n  namespace: staging", StringComparison.Ordinal));
        await using var loaded = await f.LoadAsync();

        var error = Assert.Throws<ComponentConfigurationException>(
            () => ComponentSelection.Choose(loaded, "pubsub.", null, "orders", "--transport", allowEmbedded: false));

        Assert.Contains("metadata.namespace 'staging' is not this app's namespace 'prod'", error.Message, StringComparison.Ordinal);
        Assert.Null(ComponentSelection.Choose(loaded, "pubsub.", null, "orders", "--transport", allowEmbedded: true));
    }

    [Fact]
    public async Task Choose_NoTransportInTheManifests_IsTheEmbeddedDefault()
    {
        _f.Write("a.yaml", Component("results", "state.fake"));
        await using var loaded = await _f.LoadAsync();

        Assert.Null(ComponentSelection.Choose(loaded, "pubsub.", null, "orders", "--transport", allowEmbedded: false));
    }

    [Fact]
    public void PodNameFrom_PodNameElseHostName()
    {
        Assert.Equal("p1", ComponentLoaderOptions.PodNameFrom(v => v switch { "POD_NAME" => "p1", "HOSTNAME" => "h1", _ => null }));
        Assert.Equal("h1", ComponentLoaderOptions.PodNameFrom(v => v == "HOSTNAME" ? "h1" : null));
        Assert.Equal(Environment.MachineName, ComponentLoaderOptions.PodNameFrom(_ => null));
    }
}
