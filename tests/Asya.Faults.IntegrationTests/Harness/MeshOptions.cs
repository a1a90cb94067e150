namespace Asya.Faults.IntegrationTests.Harness;

/// <summary>
/// How a scenario runs its mesh: the actor's handler concurrency, its actor timeout (Go duration) when set, and the
/// data folder (SQLite queues and results) when it must live somewhere special, such as a small tmpfs.
/// </summary>
internal sealed record MeshOptions(int Concurrency = 4, string? ActorTimeout = null, string? DataDirectory = null);
