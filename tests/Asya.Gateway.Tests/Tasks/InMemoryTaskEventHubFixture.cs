using Asya.Gateway.Tasks;
using Asya.Gateway.Tasks.Compliance;

namespace Asya.Gateway.Tests.Tasks;

/// <summary>The single-replica hub: its own peer.</summary>
public sealed class InMemoryTaskEventHubFixture : ITaskEventHubFixture
{
    public Task<(ITaskEventHub A, ITaskEventHub B)> CreatePeersAsync(int flyCapacity)
    {
        var hub = new InMemoryTaskEventHub(flyCapacity);
        return Task.FromResult<(ITaskEventHub, ITaskEventHub)>((hub, hub));
    }
}
