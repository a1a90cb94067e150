namespace Asya.Operator.Model;

/// <summary>One <c>spec.stateProxy[]</c> entry; the operator only needs the component it names.</summary>
public sealed record StateProxySpec(string Name, string? Mount, string Component, string WriteMode);
