namespace Asya.Components.RabbitMQ.IntegrationTests;

/// <summary>Tests that restart the broker; xunit runs a collection with parallelization disabled on its own.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrokerRestartGroup
{
    public const string Name = "RabbitMQ broker restart";
}
