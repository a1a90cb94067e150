namespace Asya.Sidecar.Tests.Integration;

/// <summary>One actor of a test mesh: its handler in <see cref="Handlers"/>, its ASYA_RESILIENCY_* values (JSON, as in the env) and optional flags.</summary>
internal sealed record ActorSpec(string Actor, string Handler, string? Policies = null, string? Rules = null, string? ActorTimeout = null, string? ResourcesPath = null, int? MaxDeliveries = null);
