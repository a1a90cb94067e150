namespace Asya.Sidecar.Tests.Integration;

/// <summary>One actor of a test mesh: its handler in <see cref="Handlers"/> and its ASYA_RESILIENCY_* values (JSON, as in the env).</summary>
internal sealed record ActorSpec(string Actor, string Handler, string? Policies = null, string? Rules = null, string? ActorTimeout = null, string? ResourcesPath = null);
