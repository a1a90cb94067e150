namespace Asya.Components.RabbitMQ;

/// <summary>What a <c>pubsub.rabbitmq</c> manifest asks of the mesh transport, after validation.</summary>
internal sealed record RabbitMqSettings
{
    /// <summary>Where the broker is, with the password masked; for logs and errors.</summary>
    public required string Endpoint { get; init; }

    public bool Durable { get; init; } = true;

    public bool Persistent { get; init; } = true;

    public bool PublisherConfirm { get; init; } = true;

    public ushort Prefetch { get; init; } = RabbitMqSettingsReader.DefaultPrefetch;

    public TimeSpan ReconnectWait { get; init; } = TimeSpan.FromSeconds(3);

    public long? MaxLength { get; init; }

    public long? MaxLengthBytes { get; init; }

    public long? MessageTtlMilliseconds { get; init; }

    /// <summary>Management API base address (credentials taken out), or null to count depth over AMQP.</summary>
    public Uri? ManagementUrl { get; init; }

    public string? ManagementUser { get; init; }

    public string? ManagementPassword { get; init; }

    /// <summary>Default lease of a received message when the receive call sets none; zero = held until ack or disconnect.</summary>
    public TimeSpan VisibilityTimeout { get; init; }
}
