namespace Asya.Components.Aws;

/// <summary>What one SQS transport was configured with, after each component type's keys are read.</summary>
internal sealed record SqsSettings
{
    public required string ComponentName { get; init; }

    public string? Region { get; init; }

    /// <summary>A custom endpoint (emulator, VPC endpoint); <c>null</c> = AWS's endpoint for the region.</summary>
    public Uri? Endpoint { get; init; }

    public string? AccessKey { get; init; }

    public string? SecretKey { get; init; }

    public string? SessionToken { get; init; }

    /// <summary>Visibility of a received message when the caller does not pass one; also the queue's default.</summary>
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest single long poll; a receive that may wait longer polls again.</summary>
    public int WaitTimeSeconds { get; init; } = 2;

    public int MaxMessages { get; init; } = 10;

    /// <summary>Whether queues get a redrive policy to <c>&lt;queue&gt;-dlq</c>.</summary>
    public bool DeadLetter { get; init; }

    public int MaxReceiveCount { get; init; } = 10;

    /// <summary>Create missing queues (and their DLQs); off with <c>disableEntityManagement</c>.</summary>
    public bool ManageQueues { get; init; } = true;

    public TimeSpan ManagementTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Where requests go, for messages: the endpoint or the region.</summary>
    public string Describe() => Endpoint is { } endpoint ? $"endpoint '{endpoint}'" : $"region '{Region ?? "(SDK default)"}'";
}
