using System.Collections.Concurrent;
using Asya.Components.Abstractions;

namespace Asya.Sidecar.Tests.Fakes;

internal sealed class TestStateStore : IStateStore
{
    public ConcurrentDictionary<string, byte[]> Entries { get; } = new(StringComparer.Ordinal);

    public ValueTask InitAsync(ComponentSpec spec, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<StateEntry?> GetAsync(string key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Entries.TryGetValue(key, out var value) ? new StateEntry(key, value, "1") : null);

    public ValueTask<string> SetAsync(StateSetRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Entries[request.Key] = request.Value.ToArray();
        return ValueTask.FromResult("1");
    }

    public ValueTask<bool> DeleteAsync(string key, string? etag, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Entries.TryRemove(key, out _));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
