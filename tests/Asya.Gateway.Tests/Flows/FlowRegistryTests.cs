using Asya.Gateway.Configuration;
using Asya.Gateway.Flows;
using Asya.Hosting;
using Asya.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Asya.Gateway.Tests.Flows;

public sealed class FlowRegistryTests
{
    [Fact]
    public void Reload_ChangedFile_Replaced_BadFileKeepsLastGoodAndLogsFileLine()
    {
        using var folder = new TempDirectory();
        var path = folder.Combine("flows.yaml");
        File.WriteAllText(path, "flows:\n- name: a\n  entrypoint: x\n");
        var logger = new FakeLogger<FlowRegistry>();
        var registry = new FlowRegistry(new GatewayOptions { FlowsPath = path }, TimeProvider.System, logger);
        FlowSet? changed = null;
        registry.Changed += set => changed = set;
        Assert.False(registry.ReloadIfChanged());

        File.WriteAllText(path, "flows:\n- name: a\n  entrypoint: x\n- name: b\n  entrypoint: y\n");
        Assert.True(registry.ReloadIfChanged());
        Assert.Equal(["a", "b"], registry.Current.Flows.Select(f => f.Name));
        Assert.Same(registry.Current, changed);

        File.WriteAllText(path, "flows:\n- name: a\n  entrypoint: x\n- name: c\n  entrypoit: y\n");
        Assert.False(registry.ReloadIfChanged());
        Assert.Equal(["a", "b"], registry.Current.Flows.Select(f => f.Name));
        var error = logger.Collector.GetSnapshot().Single(r => r.Level == LogLevel.Error);
        Assert.Contains($"{path}:4: flows[1].entrypoit: unknown field", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_FileChanged_ReloadedOnTheInjectedClock()
    {
        using var folder = new TempDirectory();
        await File.WriteAllTextAsync(folder.Combine("flows.yaml"), "flows:\n- name: a\n  entrypoint: x\n");
        var time = new TimerWatchingTimeProvider(DateTimeOffset.UtcNow);
        var options = new GatewayOptions { FlowsPath = folder.Path, FlowsPollInterval = TimeSpan.FromSeconds(2) };
        using var registry = new FlowRegistry(options, time, new FakeLogger<FlowRegistry>());
        var reloaded = new WaitSignal();
        registry.Changed += _ => reloaded.Pulse();
        await registry.StartAsync(default);
        await time.WaitForTimerAsync(0, due => due == options.FlowsPollInterval, TimeSpan.FromSeconds(30));

        await File.WriteAllTextAsync(folder.Combine("asya.yaml"), "flows:\n- name: b\n  entrypoint: y\n");
        time.Advance(options.FlowsPollInterval);
        await reloaded.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["a", "b"], registry.Current.Flows.Select(f => f.Name));
        await registry.StopAsync(default);
    }

    [Fact]
    public void Start_BadFileOrMissingPath_ConfigurationErrorNamingIt()
    {
        using var folder = new TempDirectory();
        var path = folder.Combine("flows.yaml");
        File.WriteAllText(path, "flows:\n- name: a\n");
        var bad = Assert.Throws<ConfigurationException>(() => new FlowRegistry(new GatewayOptions { FlowsPath = path }, TimeProvider.System, new FakeLogger<FlowRegistry>()));
        Assert.StartsWith($"{path}:2: flows[0].entrypoint: required", bad.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<ConfigurationException>(() => new FlowRegistry(new GatewayOptions { FlowsPath = folder.Combine("nope") }, TimeProvider.System, new FakeLogger<FlowRegistry>()));
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
    }
}
