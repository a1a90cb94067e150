using Asya.Components.Abstractions;
using Asya.Testing;

namespace Asya.ExternalScaler.Tests.Depth;

/// <summary>Depths that lag (always <see cref="ScriptedTransport.Depth"/>) and a live ready count.</summary>
public sealed class ProbedTransport(TimerWatchingTimeProvider time) : ScriptedTransport(time), IReadyCountSource
{
    public long Ready { get; set; }

    public ValueTask<IReadOnlyDictionary<string, long>> GetReadyCountsAsync(IReadOnlyCollection<string> queues, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyDictionary<string, long>>(queues.ToDictionary(q => q, _ => Ready));
}
