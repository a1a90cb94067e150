using System.Text.Json;
using Asya.Runtime.Protocol;

namespace Asya.Mesh.Client;

/// <summary>New envelopes as a client creates them: UUID v4 id, route at its first actor, status pending.</summary>
public static class EnvelopeFactory
{
    /// <summary>An envelope of <paramref name="payload"/> at the first actor of <paramref name="route"/>, stamped now.</summary>
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
}
