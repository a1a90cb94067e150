using System.Runtime.CompilerServices;
using System.Text;

namespace Asya.Sidecar.Runtime;

/// <summary>Reads a text/event-stream: <c>event:</c> and <c>data:</c> fields, events ended by a blank line, data lines joined with \n.</summary>
internal static class SseReader
{
    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 16 * 1024, leaveOpen: true);
        string? eventName = null;
        StringBuilder? data = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null || eventName is not null)
                {
                    yield return new ServerSentEvent(eventName ?? "message", data?.ToString() ?? "");
                }

                eventName = null;
                data = null;
                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }

            switch (field)
            {
                case "event":
                    eventName = value;
                    break;
                case "data":
                    if (data is null)
                    {
                        data = new StringBuilder(value);
                    }
                    else
                    {
                        data.Append('\n').Append(value);
                    }

                    break;
            }
        }

        if (data is not null)
        {
            yield return new ServerSentEvent(eventName ?? "message", data.ToString());
        }
    }
}
