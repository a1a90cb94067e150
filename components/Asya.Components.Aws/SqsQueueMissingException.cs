namespace Asya.Components.Aws;

/// <summary>The queue does not exist and this call does not create it (depth, delete, or <c>disableEntityManagement</c>).</summary>
internal sealed class SqsQueueMissingException(string queue, Exception innerException)
    : Exception($"SQS queue '{queue}' does not exist (it is created only while disableEntityManagement is off)", innerException)
{
    public string Queue { get; } = queue;
}
