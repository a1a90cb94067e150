namespace Asya.Gateway.Flows;

/// <summary>A flows file that cannot be used; the message starts with <c>file:line:</c> and names the field.</summary>
internal sealed class FlowsFileException(string message) : Exception(message);
