namespace Asya.Gateway.Service;

/// <summary>A task's envelope could not be put on its queue; the task is marked failed and the client gets 503.</summary>
internal sealed class SendFailedException(string message, Exception inner) : Exception(message, inner);
