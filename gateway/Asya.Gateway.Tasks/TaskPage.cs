namespace Asya.Gateway.Tasks;

/// <summary>One page of a <see cref="TaskQuery"/> and how many tasks match it in all.</summary>
public sealed record TaskPage(IReadOnlyList<MeshTask> Tasks, long Total);
