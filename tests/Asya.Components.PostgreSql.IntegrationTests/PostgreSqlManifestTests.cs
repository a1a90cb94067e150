using System.Text;
using Asya.Components.Abstractions;
using Asya.Testing;
using Asya.Testing.Brokers;
using Microsoft.Extensions.DependencyInjection;

namespace Asya.Components.PostgreSql.IntegrationTests;

/// <summary>A <c>state.postgresql</c> manifest through the one loader: secrets, known keys, versions.</summary>
public sealed class PostgreSqlManifestTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task LoadAsync_ConnectionStringFromSecretKeyRef_StoreWorks()
    {
        await File.WriteAllTextAsync(
            _folder.Combine("secrets.json"), $$"""{"pg-url": "{{PostgreSqlTestEnvironment.RequireConnectionString()}}"}""");
        await WriteManifestAsync("v2", """
              - name: connectionString
                secretKeyRef: {name: pg-url, key: pg-url}
              - {name: tableName, value: asya_manifest_state}
            auth:
              secretStore: local
            """);
        await using var services = Services();

        await using var loaded = await services.GetRequiredService<ComponentLoader>().LoadAsync([_folder.Path], default);
        var spec = loaded.Find("tasks")!;
        await using var store = await loaded.CreateAsync<IStateStore>(spec, default);

        Assert.Contains("connectionString", spec.SecretKeys);
        var key = "manifest-" + Guid.NewGuid().ToString("N");
        var etag = await store.SetAsync(new StateSetRequest(key, Encoding.UTF8.GetBytes("v")), default);
        Assert.Equal(etag, (await store.GetAsync(key, default))?.ETag);
    }

    [BrokerFree]
    [Fact]
    public async Task CheckAsync_MisspelledAndDaprRuntimeKeys_WarnLikeOtherComponents()
    {
        await WriteManifestAsync("v2", """
              - {name: connectionString, value: "host=db user=app password=x"}
              - {name: tableNme, value: tasks}
              - {name: cleanupIntervall, value: 5m}
              - {name: keyPrefix, value: none}
            """);
        await using var services = Services();

        await using var checkedOnly = await services.GetRequiredService<ComponentLoader>().CheckAsync([_folder.Path], default);

        var outcome = Assert.Single(checkedOnly.Report.Components, c => c.Name == "tasks");
        Assert.Equal(ComponentStatus.Loaded, outcome.Status);
        Assert.Contains(outcome.Warnings, w => w.Contains("unknown metadata key 'tableNme' (did you mean 'tableName'?)", StringComparison.Ordinal));
        Assert.Contains(outcome.Warnings, w => w.Contains("unknown metadata key 'cleanupIntervall' (did you mean 'cleanupInterval'?)", StringComparison.Ordinal));
        Assert.Contains(outcome.Warnings, w => w.Contains("accepted, no effect here: keyPrefix", StringComparison.Ordinal));
        Assert.Equal(3, outcome.Warnings.Count);
    }

    [BrokerFree]
    [Theory]
    [InlineData("v1", "host=db", "component type 'state.postgresql' has no version 'v1'; known versions: v2")]
    [InlineData("v2", "host=db password=hunter2-secret sslmode=sometimes", "metadata 'connectionString': parameter 'sslmode' = 'sometimes'")]
    public async Task CheckAsync_WrongVersionOrBadConnectionString_ErrorSaysWhatWithoutPassword(string version, string connectionString, string reason)
    {
        await WriteManifestAsync(version, $$"""
              - {name: connectionString, value: "{{connectionString}}"}
            """);
        await using var services = Services();

        await using var checkedOnly = await services.GetRequiredService<ComponentLoader>().CheckAsync([_folder.Path], default);

        var outcome = Assert.Single(checkedOnly.Report.Components, c => c.Name == "tasks");
        Assert.Equal(ComponentStatus.Error, outcome.Status);
        Assert.Contains(reason, outcome.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-secret", outcome.Reason, StringComparison.Ordinal);
    }

    private static ServiceProvider Services() =>
        new ServiceCollection()
            .AddLogging()
            .AddSingleton(new ComponentLoaderOptions { AppId = "gateway" })
            .AddAsyaComponents()
            .AddPostgreSqlComponents()
            .BuildServiceProvider();

    private Task WriteManifestAsync(string version, string metadata) =>
        File.WriteAllTextAsync(_folder.Combine("components.yaml"), $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: local
            spec:
              type: secretstores.local.file
              version: v1
              metadata:
              - {"{"}name: secretsFile, value: "{_folder.Combine("secrets.json")}"{"}"}
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: tasks
            spec:
              type: state.postgresql
              version: {version}
              metadata:
            {metadata}
            """);
}
