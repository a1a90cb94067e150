using System.Text;

namespace Asya.Hosting.Sse;

/// <summary>
/// Writes a text/event-stream the way <see cref="SseReader"/> reads it: <c>id:</c>, <c>event:</c>, one <c>data:</c> line
/// per line of the data, a blank line; comments (<c>: keepalive</c>) between events. Each call writes one whole event and
/// flushes (unless told not to, within a burst), so a reader never waits on a half-written event.
/// </summary>
public static class SseWriter
{
    /// <summary>The content type of an event stream response.</summary>
    public const string ContentType = "text/event-stream";

    /// <summary>Writes one event; <paramref name="data"/> may hold line breaks (each becomes a <c>data:</c> line).</summary>
    public static ValueTask WriteEventAsync(Stream stream, string eventName, string data, string? id, CancellationToken cancellationToken) =>
        WriteEventAsync(stream, eventName, data, id, flush: true, cancellationToken);

    /// <summary>
    /// Writes one event, flushed or not: a writer of a burst leaves <paramref name="flush"/> false for all but the last
    /// event, so the burst goes out in one flush rather than one per event.
    /// </summary>
    public static async ValueTask WriteEventAsync(Stream stream, string eventName, string data, string? id, bool flush, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        ArgumentNullException.ThrowIfNull(data);
        var text = new StringBuilder(data.Length + eventName.Length + 32);
        if (id is not null)
        {
            text.Append("id: ").Append(SingleLine(id, nameof(id))).Append('\n');
        }

        text.Append("event: ").Append(SingleLine(eventName, nameof(eventName))).Append('\n');
        foreach (var line in data.ReplaceLineEndings("\n").Split('\n'))
        {
            text.Append("data: ").Append(line).Append('\n');
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(text.Append('\n').ToString()), cancellationToken).ConfigureAwait(false);
        if (flush)
        {
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes a comment line (<c>: keepalive</c>), which readers skip; it keeps idle connections and proxies open.</summary>
    public static ValueTask WriteCommentAsync(Stream stream, string comment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return WriteAsync(stream, $": {SingleLine(comment, nameof(comment))}\n\n", cancellationToken);
    }

    private static async ValueTask WriteAsync(Stream stream, string text, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    // A line break in a field other than data would end the field early and start a forged one.
    private static string SingleLine(string value, string name) =>
        value.AsSpan().IndexOfAny('\r', '\n') < 0 ? value : throw new ArgumentException($"{name} must be one line", name);
}
