namespace Asya.Components.Abstractions;

/// <summary>A transport that can create and delete queues.</summary>
public interface IQueueAdmin
{
    /// <summary>Creates the queue if it does not exist; idempotent.</summary>
    ValueTask EnsureQueueAsync(QueueSpec spec, CancellationToken cancellationToken);

    /// <summary>Deletes the queue and its messages; a missing queue is not an error.</summary>
    ValueTask DeleteQueueAsync(string queue, CancellationToken cancellationToken);
}

/// <summary>A queue to create.</summary>
/// <param name="Name">Physical name, e.g. <c>asya-default-echo</c>.</param>
public sealed record QueueSpec(string Name);
