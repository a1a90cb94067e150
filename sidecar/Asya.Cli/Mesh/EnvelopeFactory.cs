using System.Text.Json;
using Asya.Runtime.Protocol;

namespace Asya.Cli.Mesh;

/// <summary>New envelopes as a client creates them: UUID v4 id, route at its first actor, status pending.</summary>
internal static class EnvelopeFactory
{
    public static Envelope Create(IReadOnlyList<string> route, JsonElement payload, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        return new Envelope
        {
            Id = Guid.NewGuid().ToString(),
            Route = Route.Start(route),
            Payload = payload,
            Status = new EnvelopeStatus
            {
                Phase = EnvelopePhase.Pending,
                Actor = route[0],
                Attempt = 1,
                MaxAttempts = 1,
                CreatedAt = now,
                UpdatedAt = now,
            },
        };
    }

    /// <summary>
    /// Parses <c>--payload</c>; any JSON value, <c>null</c> included, nested at most <see cref="ProtocolJson.MaxDepth"/>
    /// levels. Bytes that are not UTF-8 are refused rather than sent altered.
    /// </summary>
    public static JsonElement ParsePayload(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // .NET has already turned bytes that are not UTF-8 into U+FFFD; only the raw command line tells them apart
        // from a payload that really contains U+FFFD.
        if (text.Contains('\uFFFD', StringComparison.Ordinal) && RawCommandLine.HasInvalidUtf8())
        {
            throw Cli.CliException.Usage("--payload: not valid UTF-8 (the bytes would reach the handler replaced by U+FFFD); pass UTF-8 text");
        }

        try
        {
            using var doc = JsonDocument.Parse(text, ProtocolJson.DocumentOptions);
            return doc.RootElement.Clone();
        }
        catch (JsonException ex) when (ProtocolJson.IsDepthError(ex))
        {
            throw Cli.CliException.Usage(ProtocolJson.DepthExceeded("--payload:"));
        }
        catch (JsonException ex)
        {
            throw Cli.CliException.Usage($"--payload: not valid JSON ({ex.Message}); quote it for the shell, e.g. --payload '{{\"text\":\"hi\"}}'");
        }
    }
}
