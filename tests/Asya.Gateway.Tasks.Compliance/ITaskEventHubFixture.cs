namespace Asya.Gateway.Tasks.Compliance;

/// <summary>What <see cref="TaskEventHubCompliance{TFixture}"/> needs from one hub kind; an xunit class fixture.</summary>
public interface ITaskEventHubFixture
{
    /// <summary>
    /// Two hubs as two gateway replicas have them (one medium, two processes' worth of subscribers); a single-replica hub
    /// returns itself twice. The test disposes both.
    /// </summary>
    Task<(ITaskEventHub A, ITaskEventHub B)> CreatePeersAsync(int flyCapacity);
}
