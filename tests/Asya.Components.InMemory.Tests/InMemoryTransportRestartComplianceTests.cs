using Asya.Components.Compliance;

namespace Asya.Components.InMemory.Tests;

public sealed class InMemoryTransportRestartComplianceTests(InMemoryTransportFixture fixture) : TransportRestartCompliance<InMemoryTransportFixture>(fixture);
