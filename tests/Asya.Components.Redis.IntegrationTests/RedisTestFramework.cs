using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("Asya.Components.Redis.IntegrationTests.RedisTestFramework", "Asya.Components.Redis.IntegrationTests")]

namespace Asya.Components.Redis.IntegrationTests;

/// <summary>
/// xunit 2 cannot skip a test from inside it, and the shared compliance suites use plain <c>[Fact]</c>s; so when no
/// Redis is configured (and not under CI) discovery reports every test of this assembly as skipped, with the reason.
/// </summary>
public sealed class RedisTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new SkippingDiscoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class SkippingDiscoverer(IAssemblyInfo assemblyInfo, ISourceInformationProvider sourceProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkDiscoverer(assemblyInfo, sourceProvider, diagnosticMessageSink)
    {
        protected override bool FindTestsForMethod(
            ITestMethod testMethod, bool includeSourceInformation, IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions)
        {
            if (RedisTestEnvironment.SkipReason is not { } reason
                || !testMethod.Method.GetCustomAttributes(typeof(FactAttribute)).Any())
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
