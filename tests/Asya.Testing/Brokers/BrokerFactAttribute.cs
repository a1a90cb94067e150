using Xunit;

namespace Asya.Testing.Brokers;

/// <summary>
/// A fact that needs one broker, in an assembly that also has broker-free tests: skipped on a developer box without
/// the broker's variable, run (and so failing loudly if the broker is missing) under <c>CI=true</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrokerFactAttribute : FactAttribute
{
    /// <param name="variable">The broker's <c>ASYA_TEST_*</c> variable.</param>
    /// <param name="service">Its name in <c>deploy/local/services</c>.</param>
    public BrokerFactAttribute(string variable, string service) => Skip = new BrokerEnvironment(variable, service).SkipReason;
}
