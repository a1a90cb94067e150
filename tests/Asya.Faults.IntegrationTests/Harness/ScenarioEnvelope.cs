using System.Text;
using System.Text.Json.Nodes;
using Asya.Runtime.Protocol;

namespace Asya.Faults.IntegrationTests.Harness;

/// <summary>Where an envelope of a scenario must end.</summary>
internal enum Outcome
{
    /// <summary>x-sink, succeeded.</summary>
    Sink,

    /// <summary>x-sump (a failure or an infrastructure error).</summary>
    Sump,

    /// <summary>Either, exactly once (hostile input, where the spec allows both).</summary>
    Either,

    /// <summary>Hostile input whose id did not survive the mutation: it cannot be looked up, only its queue must drain.</summary>
    Untracked,
}

/// <summary>One envelope a scenario sends to the actor's queue, and where it must end.</summary>
internal sealed record ScenarioEnvelope(string Id, byte[] Body, Outcome Expected)
{
    /// <summary>A valid envelope for the actor; <paramref name="fault"/> ("crash", "sleep") makes the handler misbehave.</summary>
    public static ScenarioEnvelope Valid(string id, string? fault = null, double seconds = 0)
    {
        var payload = new JsonObject { ["id"] = id };
        if (fault is not null)
        {
            payload["fault"] = fault;
            payload["seconds"] = seconds;
        }

        var envelope = new Envelope
        {
            Id = id,
            Route = Route.Start([FaultMesh.Actor]),
            Payload = System.Text.Json.JsonDocument.Parse(Encoding.UTF8.GetBytes(payload.ToJsonString())).RootElement,
        };
        return new ScenarioEnvelope(id, envelope.ToUtf8Bytes(), fault is null ? Outcome.Sink : Outcome.Sump);
    }
}
