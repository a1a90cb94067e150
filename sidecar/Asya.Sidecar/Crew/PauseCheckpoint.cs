using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Runtime.Protocol;

namespace Asya.Sidecar.Crew;

/// <summary>
/// The checkpoint x-pause stores under <c>paused/&lt;id&gt;</c> and x-resume turns back into an envelope (the spec's
/// "Pause and resume"; upstream's file layout): the envelope as x-pause received it, <c>x-resume</c> first in
/// <c>route.next</c>, without the transient headers, plus its pause metadata under <c>_pause_metadata</c>.
/// </summary>
internal static class PauseCheckpoint
{
    public const string KeyPrefix = "paused/";
    public const string MetadataKey = "_pause_metadata";

    /// <summary>Headers that describe one hop, not the task, so a resumed envelope does not carry them.</summary>
    private static readonly string[] TransientHeaders =
        [MeshHeaders.FanIn, MeshHeaders.RouteOverride, MeshHeaders.RouteResolved, "x-asya-parent-id", MeshHeaders.ResumeTask, MeshHeaders.ResumeTimeout];

    public static string Key(string taskId) => KeyPrefix + taskId;

    /// <summary>The checkpoint of <paramref name="envelope"/> (at x-pause, <c>route.curr</c> = x-pause).</summary>
    public static byte[] Create(Envelope envelope, JsonObject metadata, string pauseActor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var checkpoint = envelope.Clone();
        var route = checkpoint.Route!;
        if (route.Next.Count == 0 || route.Next[0] != ActorNames.Resume)
        {
            route.Next.Insert(0, ActorNames.Resume);
        }

        if (checkpoint.Headers is { } headers)
        {
            foreach (var name in TransientHeaders)
            {
                headers.Remove(name);
            }
        }

        var status = checkpoint.Status ?? new EnvelopeStatus { CreatedAt = now };
        status.Phase = EnvelopePhase.Paused;
        status.Reason = EnvelopeReason.Paused;
        status.Actor = pauseActor;
        status.UpdatedAt = now;
        status.Error = null;
        checkpoint.Status = status;
        checkpoint.Extra ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(ProtocolJson.ToJsonString(metadata), ProtocolJson.DocumentOptions);
        checkpoint.Extra[MetadataKey] = document.RootElement.Clone();
        return checkpoint.ToUtf8Bytes();
    }

    /// <summary>
    /// The envelope as x-resume would have received it had the task not stopped (<c>route.curr</c> = x-resume), with the
    /// resume input merged into its payload: headers of the checkpoint overlaid by the resume message's, deadline from
    /// the resume message (<c>status.deadline_at</c>, else <c>x-asya-resume-timeout</c> seconds from now), none otherwise.
    /// </summary>
    public static Envelope Restore(ReadOnlySpan<byte> stored, Envelope resume, string mergeMode, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(resume);
        if (!EnvelopeParser.TryParse(stored, out var envelope, out var error))
        {
            throw new InvalidDataException("the pause checkpoint is not an envelope: " + error);
        }

        var metadata = envelope!.Extra is { } extra && extra.Remove(MetadataKey, out var stamped)
            ? JsonNode.Parse(stamped.GetRawText(), documentOptions: ProtocolJson.DocumentOptions) as JsonObject ?? []
            : [];
        if (envelope.Extra is { Count: 0 })
        {
            envelope.Extra = null;
        }

        var merged = ResumeMerge.Merge(Node(envelope.Payload), Node(resume.Payload), metadata, mergeMode);
        envelope.Payload = Element(merged);
        envelope.Route = envelope.Route!.Advance();
        var headers = envelope.EnsureHeaders();
        if (resume.Headers is { } overlay)
        {
            foreach (var (name, value) in overlay)
            {
                headers[name] = value?.DeepClone();
            }
        }

        var deadline = resume.Status?.DeadlineAt ?? ResumeDeadline(headers[MeshHeaders.ResumeTimeout], now);
        foreach (var name in TransientHeaders)
        {
            headers.Remove(name);
        }

        var status = envelope.Status ?? new EnvelopeStatus { CreatedAt = now };
        status.Phase = EnvelopePhase.Processing;
        status.Reason = null;
        status.Actor = envelope.Route.Curr;
        status.UpdatedAt = now;
        status.DeadlineAt = deadline;
        envelope.Status = status;
        return envelope;
    }

    private static DateTimeOffset? ResumeDeadline(JsonNode? header, DateTimeOffset now)
    {
        double? seconds = header switch
        {
            JsonValue v when v.TryGetValue<double>(out var d) => d,
            JsonValue v when v.TryGetValue<string>(out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        };
        return seconds is > 0 ? now + TimeSpan.FromSeconds(seconds.Value) : null;
    }

    private static JsonNode? Node(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? null : JsonNode.Parse(element.GetRawText(), documentOptions: ProtocolJson.DocumentOptions);

    private static JsonElement Element(JsonNode? node)
    {
        using var document = JsonDocument.Parse(node is null ? "null" : ProtocolJson.ToJsonString(node), ProtocolJson.DocumentOptions);
        return document.RootElement.Clone();
    }
}
