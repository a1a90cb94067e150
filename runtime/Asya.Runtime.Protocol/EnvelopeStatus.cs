using System.Text.Json.Serialization;

namespace Asya.Runtime.Protocol;

/// <summary>Lifecycle stamp of an envelope (docs/design.md §1), written by sidecars.</summary>
public sealed class EnvelopeStatus
{
    /// <summary>One of <see cref="EnvelopePhase"/>.</summary>
    [JsonPropertyName("phase"), JsonPropertyOrder(0)]
    public string Phase { get; set; } = EnvelopePhase.Pending;

    /// <summary>One of <see cref="EnvelopeReason"/>; <c>null</c> (omitted) when there is none.</summary>
    [JsonPropertyName("reason"), JsonPropertyOrder(1)]
    public string? Reason { get; set; }

    /// <summary>Actor that stamped the status last.</summary>
    [JsonPropertyName("actor"), JsonPropertyOrder(2)]
    public string Actor { get; set; } = "";

    /// <summary>1-based attempt on <see cref="Actor"/>; resets when the actor changes.</summary>
    [JsonPropertyName("attempt"), JsonPropertyOrder(3)]
    public int Attempt { get; set; } = 1;

    /// <summary>Attempts allowed by the matching policy (0 while unknown).</summary>
    [JsonPropertyName("max_attempts"), JsonPropertyOrder(4)]
    public int MaxAttempts { get; set; }

    /// <summary>When the envelope was created; kept across hops.</summary>
    [JsonPropertyName("created_at"), JsonPropertyOrder(5)]
    [JsonConverter(typeof(Rfc3339Converter))]
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the status was last written.</summary>
    [JsonPropertyName("updated_at"), JsonPropertyOrder(6)]
    [JsonConverter(typeof(Rfc3339Converter))]
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Absolute pipeline deadline (SLA); never moved downstream; omitted when absent.</summary>
    [JsonPropertyName("deadline_at"), JsonPropertyOrder(7)]
    [JsonConverter(typeof(NullableRfc3339Converter))]
    public DateTimeOffset? DeadlineAt { get; set; }

    /// <summary>Last handler or infrastructure error; omitted when absent.</summary>
    [JsonPropertyName("error"), JsonPropertyOrder(8)]
    public ErrorDetails? Error { get; set; }

    /// <summary>A copy that shares nothing mutable with this one.</summary>
    public EnvelopeStatus Clone()
    {
        var copy = (EnvelopeStatus)MemberwiseClone();
        copy.Error = Error?.Clone();
        return copy;
    }
}
