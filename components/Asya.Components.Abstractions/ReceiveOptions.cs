namespace Asya.Components.Abstractions;

/// <summary>How a receive call waits and how long received messages stay hidden from other consumers.</summary>
/// <param name="MaxMessages">Most messages to return (the prefetch window).</param>
/// <param name="WaitTime">Longest time to wait when the queue is empty.</param>
/// <param name="VisibilityTimeout">Time a received, unacked message stays invisible; <c>null</c> = the component's setting.</param>
public sealed record ReceiveOptions(int MaxMessages, TimeSpan WaitTime, TimeSpan? VisibilityTimeout = null);
