using Microsoft.Extensions.Time.Testing;

namespace Asya.Gateway.Tasks.Compliance;

/// <summary>What <see cref="TaskStoreCompliance{TFixture}"/> needs from one task store; an xunit class fixture.</summary>
public interface ITaskStoreFixture
{
    /// <summary>The clock every store of this fixture takes (starts on a whole second, so every backend keeps its times exactly).</summary>
    FakeTimeProvider Clock { get; }

    /// <summary>
    /// Opens a store on the storage called <paramref name="name"/>: the same name reaches the same tasks (a restart), a
    /// new name an empty store. The test disposes it.
    /// </summary>
    Task<ITaskStore> OpenAsync(string name);

    /// <summary>The <c>kind</c> column of task <paramref name="taskId"/>'s stored updates in storage <paramref name="name"/>, in sequence order, read with SQL.</summary>
    Task<IReadOnlyList<string>> ReadStoredKindsAsync(string name, string taskId);

    string NewName() => "t" + Guid.NewGuid().ToString("N")[..12];
}
