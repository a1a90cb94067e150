using Asya.Components.Compliance;

namespace Asya.Components.InMemory.Tests;

public sealed class InMemoryStateStoreComplianceTests(InMemoryStateStoreFixture fixture) : StateStoreCompliance<InMemoryStateStoreFixture>(fixture);
