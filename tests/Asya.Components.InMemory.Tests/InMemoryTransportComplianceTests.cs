using Asya.Components.Compliance;

namespace Asya.Components.InMemory.Tests;

public sealed class InMemoryTransportComplianceTests(InMemoryTransportFixture fixture) : TransportCompliance<InMemoryTransportFixture>(fixture);
