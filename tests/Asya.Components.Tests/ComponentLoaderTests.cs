using Asya.Components.Abstractions;
using Asya.Components.Tests.Support;
using Microsoft.Extensions.Logging;
using static Asya.Components.Tests.Support.LoaderFixture;

namespace Asya.Components.Tests;

public sealed class ComponentLoaderTests : IDisposable
{
    private readonly LoaderFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task LoadAsync_ComponentsAndOtherKinds_SplitAndKeepOrder()
    {
        _f.Write("a.yaml", Component("bus", "pubsub.fake", "    - {name: host, value: localhost}") + """

            ---
            apiVersion: dapr.io/v1alpha1
            kind: Resiliency
            metadata: {name: r}
            ---
            apiVersion: asya.sh/v1alpha1
            kind: AsyncActor
            metadata: {name: actor}
            """);
        _f.Write("b.yaml", Component("results", "state.fake"));

        await using var loaded = await _f.LoadAsync();

        Assert.Equal(["bus", "results"], loaded.Specs.Select(s => s.Name));
        Assert.Equal(["Resiliency", "AsyncActor"], loaded.OtherDocuments.Select(d => d.Kind));
        var bus = loaded.Find("bus")!;
        Assert.Equal(("pubsub.fake", "v1", "localhost"), (bus.Type, bus.Version, bus.Metadata["HOST"]));
        Assert.Equal(_f.Dir.Combine("a.yaml"), bus.SourceFile);
        Assert.Null(loaded.Find("BUS"));
        Assert.Equal(["results"], loaded.OfCategory("state.").Select(s => s.Name));
        Assert.Empty(bus.SecretKeys);
    }

    [Fact]
    public async Task LoadAsync_ScalarValues_KeepTheirLiteralText()
    {
        _f.Write("a.yaml", Component("bus", "pubsub.fake", """
                - {name: count, value: 10}
                - {name: enabled, value: true}
                - {name: ratio, value: 1.50}
                - {name: host, value: "007"}
                - {name: password}
                - name: json
                  value: {a: 1}
            """));

        await using var loaded = await _f.LoadAsync();

        var m = loaded.Specs[0].Metadata;
        Assert.Equal(("10", "true", "1.50", "007", "", "{\"a\":1}"), (m["count"], m["enabled"], m["ratio"], m["host"], m["password"], m["json"]));
    }

    [Fact]
    public async Task LoadAsync_Scopes_SkipComponentsOfOtherApps()
    {
        _f.Write("a.yaml", Component("mine", "pubsub.fake", extra: "scopes: [other, orders]"));
        _f.Write("b.yaml", Component("theirs", "pubsub.fake", extra: "scopes: [other]"));
        _f.Write("c.yaml", Component("everyone", "pubsub.fake", extra: "scopes: []"));

        await using var loaded = await _f.LoadAsync();

        Assert.Equal(["mine", "everyone"], loaded.Specs.Select(s => s.Name));
        Assert.Contains(_f.Logger.At(LogLevel.Information), m => m.Contains("'theirs'", StringComparison.Ordinal) && m.Contains("skipped: scopes name other, not 'orders'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoadAsync_NamespaceConfigured_SkipsOtherNamespacesOnly()
    {
        using var f = new LoaderFixture(ns: "prod");
        f.Write("a.yaml", Component("p", "pubsub.fake").Replace("name: p", "name: p\n  namespace: prod", StringComparison.Ordinal));
        f.Write("b.yaml", Component("d", "pubsub.fake").Replace("name: d", "name: d\n  namespace: dev", StringComparison.Ordinal));
        f.Write("c.yaml", Component("any", "pubsub.fake"));

        await using var loaded = await f.LoadAsync();

        Assert.Equal(["p", "any"], loaded.Specs.Select(s => s.Name));
    }

    [Fact]
    public async Task LoadAsync_NoNamespaceConfigured_IgnoresManifestNamespaces()
    {
        _f.Write("b.yaml", Component("d", "pubsub.fake").Replace("name: d", "name: d\n  namespace: dev", StringComparison.Ordinal));

        await using var loaded = await _f.LoadAsync();

        Assert.Equal("d", Assert.Single(loaded.Specs).Name);
    }

    [Fact]
    public async Task LoadAsync_DuplicateName_ErrorNamesBothFiles()
    {
        _f.Write("a.yaml", Component("bus", "pubsub.fake"));
        _f.Write("b.yaml", Component("bus", "state.fake", extra: "scopes: [someone-else]"));

        var error = await _f.LoadFailsAsync();

        Assert.Contains("component 'bus' is defined twice", error.Message, StringComparison.Ordinal);
        Assert.Contains(_f.Dir.Combine("a.yaml") + ":1", error.Message, StringComparison.Ordinal);
        Assert.Contains(_f.Dir.Combine("b.yaml") + ":1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_UnknownType_ErrorListsKnownTypes()
    {
        _f.Write("a.yaml", Component("bus", "pubsub.kafka"));

        var error = await _f.LoadFailsAsync();

        Assert.Equal(
            $"component 'bus' ({_f.Dir.Combine("a.yaml")}:1): unknown component type 'pubsub.kafka'; known types: "
            + "bindings.fake, pubsub.fake, secretstores.local.env, secretstores.local.file, state.fake",
            error.Message);
    }

    [Fact]
    public async Task LoadAsync_MissingTypeOrName_ErrorNamesFileAndLine()
    {
        _f.Write("a.yaml", "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: ok}\nspec: {type: state.fake}\n---\n"
            + "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: bus}\nspec: {version: v1}\n");
        var missingType = await _f.LoadFailsAsync();
        _f.Write("a.yaml", "\napiVersion: dapr.io/v1alpha1\nkind: Component\nspec: {type: state.fake}\n");
        var missingName = await _f.LoadFailsAsync();

        Assert.Equal($"component 'bus' ({_f.Dir.Combine("a.yaml")}:6): spec.type is missing", missingType.Message);
        Assert.Equal($"component '(no name)' ({_f.Dir.Combine("a.yaml")}:2): Component has no metadata.name", missingName.Message);
    }

    [Fact]
    public async Task LoadAsync_BrokenDocument_IsAnErrorNamingFileAndLine()
    {
        _f.Write("a.yaml", Component("bus", "pubsub.fake") + "\n---\nkind: [oops\n");

        var error = await _f.LoadFailsAsync();

        Assert.StartsWith(_f.Dir.Combine("a.yaml") + ":13: invalid YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_BrokenDocument_IsReportedAndOthersStillLoad()
    {
        _f.Write("a.yaml", Component("bus", "pubsub.fake") + "\n---\nkind: [oops\n");

        await using var loaded = await _f.Loader.CheckAsync([_f.Dir.Path], CancellationToken.None);

        Assert.Equal("bus", Assert.Single(loaded.Specs).Name);
        Assert.True(loaded.Report.HasErrors);
        Assert.StartsWith(_f.Dir.Combine("a.yaml") + ":13: invalid YAML", Assert.Single(loaded.Report.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_MissingResourcesPath_Throws()
    {
        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(
            () => _f.Loader.LoadAsync([_f.Dir.Combine("missing")], CancellationToken.None));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_UnknownMetadataKey_WarnsWithNearestKnownKey()
    {
        var file = _f.Write("bus.yaml", Component("orders", "pubsub.fake", """
                - {name: deleteWhenUnused, value: "false"}
                - {name: consumerID, value: x}
                - {name: HOST, value: y}
                - {name: zzzzzzzzzzzz, value: z}
            """));

        await using var loaded = await _f.LoadAsync();

        var warnings = _f.Logger.At(LogLevel.Warning).ToList();
        Assert.Equal(3, warnings.Count);
        Assert.Contains(
            $"component 'orders' ({file}:1): unknown metadata key 'deleteWhenUnused' (did you mean 'deletedWhenUnused'?); it is ignored",
            warnings);
        Assert.Contains($"component 'orders' ({file}:1): unknown metadata key 'zzzzzzzzzzzz'; it is ignored", warnings);
        Assert.Contains(warnings, w => w.Contains("accepted, no effect here: consumerID", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoadAsync_StateRuntimeKeys_AreKnown()
    {
        _f.Write("a.yaml", Component("results", "state.fake", """
                - {name: keyPrefix, value: none}
                - {name: actorStateStore, value: "true"}
                - {name: consumerID, value: x}
            """));

        await using var loaded = await _f.LoadAsync();

        var warnings = _f.Logger.At(LogLevel.Warning).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("unknown metadata key 'consumerID'", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("accepted, no effect here: keyPrefix, actorStateStore", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoadAsync_DuplicateMetadataKey_IsAnError()
    {
        _f.Write("a.yaml", Component("bus", "pubsub.fake", "    - {name: host, value: a}\n    - {name: Host, value: b}"));

        var error = await _f.LoadFailsAsync();

        Assert.Contains("metadata key 'Host' is given twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_EntryWithoutName_IsAnError()
    {
        _f.Write("a.yaml", Component("bus", "pubsub.fake", "    - {value: a}"));

        var error = await _f.LoadFailsAsync();

        Assert.Contains("spec.metadata[0]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_InitialisesOncePerSpecAndDisposesWithLoaded()
    {
        _f.Write("a.yaml", Component("bus", "pubsub.fake") + "\n---\n" + Component("results", "state.fake"));
        var loaded = await _f.LoadAsync();

        var bus = await loaded.CreateAsync<FakeComponent>(loaded.Find("bus")!, CancellationToken.None);
        var again = await loaded.CreateAsync<IComponent>(loaded.Find("bus")!, CancellationToken.None);
        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(
            () => loaded.CreateAsync<ITransport>(loaded.Find("results")!, CancellationToken.None));
        await loaded.DisposeAsync();

        Assert.Same(bus, again);
        Assert.Same(loaded.Find("bus"), bus.Spec);
        Assert.Equal($"component 'results' ({_f.Dir.Combine("a.yaml")}) has type state.fake, which is not a transport", error.Message);
        Assert.True(bus.Disposed);
        Assert.True(_f.State.Created.Single().Disposed);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => loaded.CreateAsync<IComponent>(loaded.Specs[0], CancellationToken.None));
    }

    [Fact]
    public async Task LoadAsync_SecretKeyRefThroughLocalEnv_ResolvesWithPrefixAndMarksKey()
    {
        var variable = "ASYA_T_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable("PFX_" + variable, "s3cret");
        _f.Write("a.yaml", Component("env", "secretstores.local.env", "    - {name: prefix, value: PFX_}")
            + "\n---\n"
            + Component("bus", "pubsub.fake", $"    - name: password\n      secretKeyRef: {{name: {variable}}}", "auth: {secretStore: env}"));

        await using var loaded = await _f.LoadAsync();

        var bus = loaded.Find("bus")!;
        Assert.Equal("s3cret", bus.Metadata["password"]);
        Assert.Contains("PASSWORD", bus.SecretKeys);
        Assert.DoesNotContain(_f.Logger.Entries, e => e.Message.Contains("s3cret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoadAsync_SecretKeyRefThroughLocalFile_FlattensNestedKeys()
    {
        await File.WriteAllTextAsync(_f.Dir.Combine("secrets.json"), """{"db": {"password": "pw1", "hosts": ["h0", "h1"]}, "token": 42}""");
        _f.Write("a.yaml", Component("files", "secretstores.local.file", "    - {name: secretsFile, value: secrets.json}")
            + "\n---\n"
            + Component("bus", "pubsub.fake", """
                    - name: password
                      secretKeyRef: {name: "db:password", key: "db:password"}
                    - name: host
                      secretKeyRef: {name: "db:hosts:1"}
                    - name: count
                      secretKeyRef: {name: token}
                """, "auth: {secretStore: files}"));

        await using var loaded = await _f.LoadAsync();

        var m = loaded.Find("bus")!.Metadata;
        Assert.Equal(("pw1", "h1", "42"), (m["password"], m["host"], m["count"]));
    }

    [Fact]
    public async Task LoadAsync_LocalFileMultiValuedWithSeparator_TopLevelKeysAreSecrets()
    {
        Directory.CreateDirectory(_f.Dir.Combine("s"));
        await File.WriteAllTextAsync(_f.Dir.Combine("s", "secrets.json"), """{"rabbit": {"uri": "amqp://u:p@h", "tls": {"ca": "CA"}}, "plain": "v"}""");
        _f.Write("a.yaml", Component("files", "secretstores.local.file", """
                    - {name: secretsFile, value: s/secrets.json}
                    - {name: multiValued, value: "true"}
                    - {name: nestedSeparator, value: "."}
                """)
            + "\n---\n"
            + Component("bus", "pubsub.fake", """
                    - name: host
                      secretKeyRef: {name: rabbit, key: uri}
                    - name: password
                      secretKeyRef: {name: rabbit, key: tls.ca}
                    - name: count
                      secretKeyRef: {name: plain}
                """, "auth: {secretStore: files}"));

        await using var loaded = await _f.LoadAsync();

        var m = loaded.Find("bus")!.Metadata;
        Assert.Equal(("amqp://u:p@h", "CA", "v"), (m["host"], m["password"], m["count"]));
    }

    [Fact]
    public async Task LoadAsync_SecretStoreNotDefined_ErrorNamesComponentKeyAndStore()
    {
        _f.Write("a.yaml", Component("bus", "pubsub.fake", "    - {name: password, secretKeyRef: {name: x, key: y}}", "auth: {secretStore: vault}"));

        var error = await _f.LoadFailsAsync();

        Assert.StartsWith($"component 'bus' ({_f.Dir.Combine("a.yaml")}:1): metadata 'password' refers to secret store 'vault'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_SecretKeyRefWithoutAuth_IsAnError()
    {
        _f.Write("a.yaml", Component("bus", "pubsub.fake", "    - {name: password, secretKeyRef: {name: x}}"));

        var error = await _f.LoadFailsAsync();

        Assert.Contains("auth.secretStore is not set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_MissingSecretOrField_ErrorNamesSecretAndStore()
    {
        await File.WriteAllTextAsync(_f.Dir.Combine("secrets.json"), """{"present": "v"}""");
        var store = Component("files", "secretstores.local.file", "    - {name: secretsFile, value: secrets.json}") + "\n---\n";
        _f.Write("a.yaml", store + Component("bus", "pubsub.fake", "    - {name: password, secretKeyRef: {name: absent}}", "auth: {secretStore: files}"));
        var missing = await _f.LoadFailsAsync();
        _f.Write("a.yaml", store + Component("bus", "pubsub.fake", "    - {name: password, secretKeyRef: {name: present, key: other}}", "auth: {secretStore: files}"));
        var noField = await _f.LoadFailsAsync();

        Assert.Contains("metadata 'password': secret 'absent' not found in secret store 'files'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("secret 'present' in secret store 'files' has no key 'other'", noField.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_LocalFileMissing_ErrorNamesKeyAndPath()
    {
        _f.Write("a.yaml", Component("files", "secretstores.local.file", "    - {name: secretsFile, value: nope.json}") + "\n---\n"
            + Component("bus", "pubsub.fake", "    - {name: password, secretKeyRef: {name: a}}", "auth: {secretStore: files}"));

        var error = await _f.LoadFailsAsync();

        Assert.Contains("metadata 'secretsFile' = 'nope.json'", error.Message, StringComparison.Ordinal);
        Assert.Contains(_f.Dir.Combine("nope.json"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_UnreferencedSecretStore_IsNotCreated()
    {
        _f.Write("a.yaml", Component("files", "secretstores.local.file", "    - {name: secretsFile, value: nope.json}"));

        await using var loaded = await _f.LoadAsync();

        Assert.Equal("secretstores.local.file", Assert.Single(loaded.Specs).Type);
    }

    [Fact]
    public async Task LoadAsync_SecretValueRejectedByComponent_ErrorMasksIt()
    {
        using var f = new LoaderFixture(failOnKey: "password");
        var variable = "ASYA_T_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, "hunter2");
        f.Write("a.yaml", Component("env", "secretstores.local.env") + "\n---\n"
            + Component("bus", "pubsub.fake", $"    - {{name: password, secretKeyRef: {{name: {variable}}}}}", "auth: {secretStore: env}"));
        await using var loaded = await f.LoadAsync();

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(
            () => loaded.CreateAsync<FakeComponent>(loaded.Find("bus")!, CancellationToken.None));

        Assert.Equal($"component 'bus' ({f.Dir.Combine("a.yaml")}): metadata 'password' = ***: is not a valid URL", error.Message);
        Assert.DoesNotContain(f.Logger.Entries, e => e.Message.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoadAsync_SecretStoreDenyList_RefusesDaprVariables()
    {
        _f.Write("a.yaml", Component("env", "secretstores.local.env") + "\n---\n"
            + Component("bus", "pubsub.fake", "    - {name: password, secretKeyRef: {name: DAPR_API_TOKEN}}", "auth: {secretStore: env}"));

        var error = await _f.LoadFailsAsync();

        Assert.Contains("DAPR_API_TOKEN", error.Message, StringComparison.Ordinal);
        Assert.Contains("may not be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_EnvRef_ReadOnlyWhenValueEmpty()
    {
        var variable = "ASYA_T_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, "from-env");
        _f.Write("a.yaml", Component("bus", "pubsub.fake", $"""
                - {"{"}name: host, envRef: {variable}{"}"}
                - {"{"}name: password, value: literal, envRef: {variable}{"}"}
                - {"{"}name: count, envRef: {variable}_UNSET{"}"}
            """));

        await using var loaded = await _f.LoadAsync();

        var spec = loaded.Specs[0];
        Assert.Equal(("from-env", "literal", ""), (spec.Metadata["host"], spec.Metadata["password"], spec.Metadata["count"]));
        Assert.Contains("host", spec.SecretKeys);
        Assert.DoesNotContain("password", spec.SecretKeys);
    }

    [Theory]
    [InlineData("DAPR_API_TOKEN")]
    [InlineData("APP_API_TOKEN")]
    [InlineData("'MY VAR'")]
    public async Task LoadAsync_EnvRefDenied_IsAnError(string variable)
    {
        _f.Write("a.yaml", Component("bus", "pubsub.fake", $"    - {{name: host, envRef: {variable}}}"));

        var error = await _f.LoadFailsAsync();

        Assert.Contains("metadata 'host' has envRef", error.Message, StringComparison.Ordinal);
        Assert.Contains("not allowed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_TemplateTags_AreReplaced()
    {
        using var f = new LoaderFixture(appId: "orders", ns: "prod", podName: "orders-7f9c");
        f.Write("a.yaml", Component("bus", "pubsub.fake", """
                - {name: host, value: "{uuid}/{uuid}"}
                - {name: consumerID, value: "{namespace}"}
                - {name: password, value: "{appID}-{podName}"}
            """));

        await using var loaded = await f.LoadAsync();

        var m = loaded.Specs[0].Metadata;
        var ids = m["host"].Split('/');
        Assert.True(Guid.TryParse(ids[0], out _) && Guid.TryParse(ids[1], out _));
        Assert.NotEqual(ids[0], ids[1]);
        Assert.Equal("prod.orders", m["consumerID"]);
        Assert.Equal("orders-orders-7f9c", m["password"]);
    }

    [Fact]
    public async Task LoadAsync_PodNameUnknown_IsAnError()
    {
        _f.Write("a.yaml", Component("bus", "pubsub.fake", "    - {name: host, value: \"{podName}\"}"));

        var error = await _f.LoadFailsAsync();

        Assert.Contains("metadata 'host' uses {podName}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_NamespaceTagWithoutNamespace_IsTheAppId()
    {
        _f.Write("a.yaml", Component("bus", "pubsub.fake", "    - {name: host, value: \"q-{namespace}\"}"));

        await using var loaded = await _f.LoadAsync();

        Assert.Equal("q-orders", loaded.Specs[0].Metadata["host"]);
    }

    [Fact]
    public async Task CreateAsync_InitTimeoutExceeded_ErrorNamesComponent()
    {
        _f.PubSub.HangOnInit = true;
        _f.Write("a.yaml", Component("bus", "pubsub.fake").Replace("version: v1", "version: v1\n  initTimeout: 50ms", StringComparison.Ordinal));
        await using var loaded = await _f.LoadAsync();

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(
            () => loaded.CreateAsync<FakeComponent>(loaded.Specs[0], CancellationToken.None));

        Assert.Contains("component 'bus'", error.Message, StringComparison.Ordinal);
        Assert.Contains("spec.initTimeout", error.Message, StringComparison.Ordinal);
        Assert.True(_f.PubSub.Created.Single().Disposed);
    }

    [Fact]
    public async Task LoadAsync_SecretStoresReferringToEachOther_IsAnError()
    {
        _f.Write("a.yaml",
            Component("s1", "secretstores.local.env", "    - {name: prefix, secretKeyRef: {name: p}}", "auth: {secretStore: s2}") + "\n---\n"
            + Component("s2", "secretstores.local.env", "    - {name: prefix, secretKeyRef: {name: p}}", "auth: {secretStore: s1}"));

        var error = await _f.LoadFailsAsync();

        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_SecretStoreUsingAnotherStore_IsResolvedFirst()
    {
        var variable = "ASYA_T_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, "secrets.json");
        await File.WriteAllTextAsync(_f.Dir.Combine("secrets.json"), """{"k": "v"}""");
        _f.Write("a.yaml",
            Component("bus", "pubsub.fake", "    - {name: host, secretKeyRef: {name: k}}", "auth: {secretStore: files}") + "\n---\n"
            + Component("files", "secretstores.local.file", $"    - {{name: secretsFile, secretKeyRef: {{name: {variable}}}}}", "auth: {secretStore: env}") + "\n---\n"
            + Component("env", "secretstores.local.env"));

        await using var loaded = await _f.LoadAsync();

        Assert.Equal("v", loaded.Find("bus")!.Metadata["host"]);
        Assert.Equal(["bus", "files", "env"], loaded.Specs.Select(s => s.Name));
    }
}
