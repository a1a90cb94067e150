using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Asya.Testing.Brokers;

/// <summary>
/// xunit 2 cannot skip a test from inside it, and the shared compliance suites use plain <c>[Fact]</c>s; so when the
/// broker is not configured (and not under CI) discovery reports every fact that needs it as skipped, with the reason.
/// Facts marked <see cref="BrokerFreeAttribute"/> (on the method or its class) run anyway. Each broker test assembly declares a sealed subclass and names it in <c>[assembly: TestFramework]</c>.
/// </summary>
public abstract class BrokerTestFramework(IMessageSink messageSink, BrokerEnvironment environment) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new SkippingDiscoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink, environment);

    private sealed class SkippingDiscoverer(
        IAssemblyInfo assemblyInfo, ISourceInformationProvider sourceProvider, IMessageSink diagnosticMessageSink, BrokerEnvironment environment)
        : XunitTestFrameworkDiscoverer(assemblyInfo, sourceProvider, diagnosticMessageSink)
    {
        protected override bool FindTestsForMethod(
            ITestMethod testMethod, bool includeSourceInformation, IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions)
        {
            if (environment.SkipReason is not { } reason
                || !testMethod.Method.GetCustomAttributes(typeof(FactAttribute)).Any()
                || testMethod.Method.GetCustomAttributes(typeof(BrokerFreeAttribute)).Any()
                || testMethod.TestClass.Class.GetCustomAttributes(typeof(BrokerFreeAttribute)).Any())
            {
                return base.FindTestsForMethod(testMethod, includeSourceInformation, messageBus, discoveryOptions);
            }

            var skipped = new XunitSkippedDataRowTestCase(
                DiagnosticMessageSink,
                discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(),
                testMethod,
                reason);
            return ReportDiscoveredTestCase(skipped, includeSourceInformation, messageBus);
        }
    }
}
