namespace Asya.Sidecar.Configuration;

/// <summary>Everything one sidecar process is told by flags and ASYA_* env, validated.</summary>
internal sealed record SidecarOptions
{
    public required string Actor { get; init; }

    public string Namespace { get; init; } = "default";

    public IReadOnlyList<string> ResourcesPaths { get; init; } = [];

    public string? TransportComponent { get; init; }

    public string DataDirectory { get; init; } = ".asya";

    public string? ResultStoreComponent { get; init; }

    /// <summary>Use the embedded SQLite default even though the manifests hold a transport/store that was skipped for this actor.</summary>
    public bool AllowEmbeddedDefault { get; init; }

    public int Concurrency { get; init; } = 1;

    public string SocketDirectory { get; init; } = Asya.Runtime.Protocol.RuntimeProtocol.DefaultSocketDirectory;

    /// <summary><c>null</c> when the metrics endpoint is off.</summary>
    public string? MetricsAddress { get; init; } = ":8080";

    public string? RuntimeCommand { get; init; }

    public string? Builtin { get; init; }

    public string Sink { get; init; } = Asya.Runtime.Protocol.ActorNames.Sink;

    public string Sump { get; init; } = Asya.Runtime.Protocol.ActorNames.Sump;

    public TimeSpan RuntimeReadyTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public int MaxDeliveries { get; init; } = 10;

    public bool AutoCreateQueues { get; init; } = true;

    public string LogFormat { get; init; } = "text";

    public string LogLevel { get; init; } = "info";

    /// <summary>How long a received message stays invisible to other consumers; extended while a handler runs.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(30);

    public string? ResiliencyPoliciesJson { get; init; }

    public string? ResiliencyRulesJson { get; init; }

    public string? ActorTimeout { get; init; }

    /// <summary>JSON nesting limit shared with the runtime (passed to it as ASYA_MAX_JSON_DEPTH) and the CLI.</summary>
    public int MaxJsonDepth { get; init; } = Asya.Runtime.Protocol.ProtocolJson.DefaultMaxDepth;

    /// <summary>
    /// Gateway (mesh port) base URL of envelopes without header <c>x-asya-gateway-url</c> (the header wins); as given,
    /// checked by the SSRF guard when the sidecar starts (<c>GatewayTargets</c>).
    /// </summary>
    public string? GatewayUrl { get; init; }

    /// <summary>HTTP timeout of one call to a task's gateway (status report or pre-flight read).</summary>
    public TimeSpan GatewayTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Reports waiting for the gateway sender; a report that finds the queue full is dropped and counted.</summary>
    public int GatewayQueueSize { get; init; } = 8192;

    /// <summary>How long a pre-flight answer is reused for the same task.</summary>
    public TimeSpan PreFlightCacheTtl { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>x-pause: pause metadata (JSON object) when the envelope carries none.</summary>
    public string PauseMetadataJson { get; init; } = """{"prompt":"Task paused","fields":[]}""";

    /// <summary>x-resume: <c>shallow</c> or <c>deep</c> merge of the resume input when the metadata maps no fields.</summary>
    public string ResumeMergeMode { get; init; } = "shallow";

    public bool IsCrew => Builtin is not null;

    public bool IsLocalRuntime => RuntimeCommand is not null;

    public string SocketPath => Path.Combine(SocketDirectory, Asya.Runtime.Protocol.RuntimeProtocol.SocketFileName);

    public string ReadyFilePath => Path.Combine(SocketDirectory, Asya.Runtime.Protocol.RuntimeProtocol.ReadyFileName);

    public string QueueOf(string actor) => Asya.Runtime.Protocol.ActorNames.Queue(Namespace, actor);

    public string OwnQueue => QueueOf(Actor);
}
