using Asya.Components.Abstractions;

namespace Asya.Components.Compliance;

/// <summary>What <see cref="StateStoreCompliance{TFixture}"/> needs from one state store; an xunit class fixture.</summary>
public interface IStateStoreFixture
{
    /// <summary>A new, initialised store on the fixture's storage; the test disposes it.</summary>
    Task<IStateStore> CreateStateStoreAsync();

    /// <summary>A key no other test uses.</summary>
    string NewKey() => "key-" + Guid.NewGuid().ToString("N")[..12];
}
