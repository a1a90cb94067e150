using Asya.Components.Abstractions;

namespace Asya.Components.Compliance;

/// <summary>What <see cref="StateStoreCompliance{TFixture}"/> needs from one state store; an xunit class fixture.</summary>
public interface IStateStoreFixture
{
    /// <summary>A new, initialised store on the fixture's storage; the test disposes it.</summary>
    Task<IStateStore> CreateStateStoreAsync();

    /// <summary>A key no other test uses.</summary>
    string NewKey() => "key-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The clock the stores expire entries by: a fake one where the store takes a <see cref="TimeProvider"/>.</summary>
    TimeProvider Clock => TimeProvider.System;

    /// <summary>Lets <paramref name="time"/> pass on <see cref="Clock"/>: advances a fake clock, waits on the real one (a server's TTL).</summary>
    Task PassTimeAsync(TimeSpan time) => Task.Delay(time);
}
