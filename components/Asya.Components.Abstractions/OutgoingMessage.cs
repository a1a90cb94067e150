namespace Asya.Components.Abstractions;

/// <summary>A message to send: the body (an envelope's JSON), transport headers, and an optional delay.</summary>
public sealed record OutgoingMessage(ReadOnlyMemory<byte> Body)
{
    /// <summary>Transport-level headers (not envelope headers).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>When positive, the message becomes visible only after this delay.</summary>
    public TimeSpan Delay { get; init; }
}
