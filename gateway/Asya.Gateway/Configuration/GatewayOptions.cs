using Asya.Components;
using Asya.Runtime.Protocol;

namespace Asya.Gateway.Configuration;

/// <summary>How the gateway runs; parsed from flags and <c>ASYA_*</c> variables by <see cref="GatewayOptionsParser"/>.</summary>
internal sealed record GatewayOptions
{
    /// <summary>Listener of the tasks API (clients), <c>host:port</c>; port 0 picks a free one.</summary>
    public string ApiAddress { get; init; } = ":8080";

    /// <summary>Listener of the sidecar callbacks (reports, pre-flight); no credentials asked there.</summary>
    public string MeshAddress { get; init; } = ":8081";

    /// <summary>What sidecars call, stamped into envelopes as <c>x-asya-gateway-url</c>; null = the bound mesh address.</summary>
    public string? MeshUrl { get; init; }

    /// <summary>The address clients reach the api port at (the agent card's interface url).</summary>
    public string? PublicUrl { get; init; }

    /// <summary>Required of every api-port request but the probes when set; never logged.</summary>
    public string? ApiKey { get; init; }

    /// <summary><c>flows.yaml</c>, an <c>asya.yaml</c> with <c>flows:</c>, or a folder holding them; null = no flows.</summary>
    public string? FlowsPath { get; init; }

    /// <summary>How often the flows files are checked for changes.</summary>
    public TimeSpan FlowsPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    public IReadOnlyList<string> ResourcesPaths { get; init; } = [];

    /// <summary>Send through the embedded default even when the manifests' transport is not loaded for the gateway.</summary>
    public bool AllowEmbeddedDefault { get; init; }

    /// <summary>Actor → transport component (<c>--actor-transport</c>): those actors' queues are reached through their own transport.</summary>
    public IReadOnlyDictionary<string, string> ActorTransports { get; init; } = new Dictionary<string, string>();

    /// <summary>The <c>state.postgresql</c> component of the resources path that holds the tasks; null = embedded SQLite.</summary>
    public string? TaskStore { get; init; }

    /// <summary>Folder of the embedded SQLite files: the mesh's default transport and the task store.</summary>
    public string DataDirectory { get; init; } = EmbeddedComponents.DefaultDataDirectory;

    public string Namespace { get; init; } = ActorNames.DefaultNamespace;

    /// <summary>Largest request body of a submit or resume (the payload with its wrapper); above it: 413.</summary>
    public int MaxBodyBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Interval of the <c>: keepalive</c> comment on an idle SSE stream.</summary>
    public TimeSpan KeepaliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the deadline backstop looks for tasks past their deadline.</summary>
    public TimeSpan BackstopInterval { get; init; } = TimeSpan.FromSeconds(5);

    public string LogLevel { get; init; } = "info";

    /// <summary><c>json</c> (one object per line) or <c>text</c>.</summary>
    public string LogFormat { get; init; } = "json";
}
