namespace Asya.Testing.Brokers;

/// <summary>
/// A test (or every test of a class) in a broker test assembly that needs no broker: naming, configuration errors,
/// unreachable endpoints. <see cref="BrokerTestFramework"/> runs it even when the broker's variable is not set.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class BrokerFreeAttribute : Attribute;
