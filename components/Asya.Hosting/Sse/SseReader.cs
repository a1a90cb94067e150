using System.Runtime.CompilerServices;
using System.Text;

namespace Asya.Hosting.Sse;

/// <summary>
/// Reads a text/event-stream (the runtime's answer to the sidecar, the gateway's task events to a client):
/// <c>event:</c>, <c>data:</c> and <c>id:</c> fields, events ended by a blank line, data lines joined with \n. A line or
/// an event's data above <see cref="MaxEventSize"/> characters stops the stream with <see cref="InvalidDataException"/>,
/// so a runaway writer cannot make the reader buffer without bound. <see cref="SseWriter"/> writes what this reads.
/// </summary>
public static class SseReader
{
    public const int MaxEventSize = 16 * 1024 * 1024;

    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(
        Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken, int maxEventSize = MaxEventSize)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 16 * 1024, leaveOpen: true);
        // A line also holds its field name: leave room for "data: " and the like on top of the data limit.
        var lines = new LineReader(reader, maxEventSize + 64, maxEventSize);
        string? eventName = null;
        string? id = null;
        StringBuilder? data = null;
        while (await lines.ReadAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null || eventName is not null)
                {
                    yield return new ServerSentEvent(eventName ?? "message", data?.ToString() ?? "", id);
                }

                eventName = null;
                id = null;
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
                case "id":
                    id = value;
                    break;
                case "data":
                    if (data is null)
                    {
                        data = new StringBuilder();
                    }
                    else
                    {
                        data.Append('\n');
                    }

                    if (data.Length + value.Length > maxEventSize)
                    {
                        throw TooLarge("event data", maxEventSize);
                    }

                    data.Append(value);
                    break;
            }
        }

        if (data is not null)
        {
            yield return new ServerSentEvent(eventName ?? "message", data.ToString(), id);
        }
    }

    private static InvalidDataException TooLarge(string what, int limit) =>
        new($"SSE {what} exceeds {(limit % (1024 * 1024) == 0 ? $"{limit / (1024 * 1024)} MiB" : $"{limit} characters")}; the stream was abandoned");

    /// <summary>Lines ended by \n, \r\n or \r, each at most <c>maxLength</c> characters.</summary>
    private sealed class LineReader(StreamReader reader, int maxLength, int reportedLimit)
    {
        private readonly char[] _buffer = new char[16 * 1024];
        private readonly StringBuilder _line = new();
        private int _position;
        private int _length;
        private bool _skipLineFeed;

        public async ValueTask<string?> ReadAsync(CancellationToken cancellationToken)
        {
            _line.Clear();
            while (true)
            {
                if (_position == _length)
                {
                    _length = await reader.ReadAsync(_buffer.AsMemory(), cancellationToken);
                    _position = 0;
                    if (_length == 0)
                    {
                        return _line.Length > 0 ? _line.ToString() : null;
                    }
                }

                if (_skipLineFeed)
                {
                    _skipLineFeed = false;
                    if (_buffer[_position] == '\n')
                    {
                        _position++;
                        continue;
                    }
                }

                var span = _buffer.AsSpan(_position, _length - _position);
                var end = span.IndexOfAny('\r', '\n');
                var take = end < 0 ? span.Length : end;
                if (_line.Length + take > maxLength)
                {
                    throw TooLarge("line", reportedLimit);
                }

                _line.Append(span[..take]);
                _position += take;
                if (end < 0)
                {
                    continue;
                }

                _skipLineFeed = _buffer[_position] == '\r';
                _position++;
                return _line.ToString();
            }
        }
    }
}
