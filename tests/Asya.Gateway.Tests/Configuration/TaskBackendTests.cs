using Asya.Gateway.Configuration;
using Asya.Gateway.Hosting;
using Asya.Gateway.Tasks;
using Asya.Hosting;
using Asya.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Asya.Gateway.Tests.Configuration;

/// <summary>Which task store a gateway opens: SQLite by default, the <c>state.postgresql</c> component <c>--task-store</c> names.</summary>
public sealed class TaskBackendTests
{
    [Fact]
    public async Task Open_NoTaskStore_SqliteInTheDataDirWithInProcessEvents()
    {
        using var folder = new TempDirectory();
        await using var backend = await TaskBackend.OpenAsync(new GatewayOptions { DataDirectory = folder.Path }, TimeProvider.System, NullLoggerFactory.Instance, default);
        Assert.IsType<InMemoryTaskEventHub>(backend.Hub);
        Assert.True(File.Exists(folder.Combine("gateway-tasks.db")));
    }

    [Fact]
    public async Task Open_TaskStoreMissingOrNotPostgreSql_ConfigurationErrorNamingIt()
    {
        using var folder = new TempDirectory();
        await File.WriteAllTextAsync(folder.Combine("results.yaml"), """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: results
            spec:
              type: state.sqlite
              version: v1
              metadata:
              - name: connectionString
                value: results.db
            """);
        var options = new GatewayOptions { DataDirectory = folder.Combine("data"), ResourcesPaths = [folder.Path] };

        var missing = await Assert.ThrowsAsync<ConfigurationException>(() => TaskBackend.OpenAsync(options with { TaskStore = "tasks" }, TimeProvider.System, NullLoggerFactory.Instance, default));
        Assert.StartsWith("--task-store (or ASYA_GATEWAY_TASK_STORE): no component 'tasks' is loaded for app asya-gateway", missing.Message, StringComparison.Ordinal);
        var wrong = await Assert.ThrowsAsync<ConfigurationException>(() => TaskBackend.OpenAsync(options with { TaskStore = "results" }, TimeProvider.System, NullLoggerFactory.Instance, default));
        Assert.Equal("--task-store (or ASYA_GATEWAY_TASK_STORE): component 'results' is state.sqlite; the task store is a state.postgresql component", wrong.Message);
    }
}
