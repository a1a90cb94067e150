using Asya.Gateway.Tasks.Compliance;

namespace Asya.Gateway.Tests.Tasks;

public sealed class InMemoryTaskEventHubComplianceTests(InMemoryTaskEventHubFixture fixture)
    : TaskEventHubCompliance<InMemoryTaskEventHubFixture>(fixture);
