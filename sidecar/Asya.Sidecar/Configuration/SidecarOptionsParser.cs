using Asya.Hosting;
using Asya.Hosting.Flags;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Crew;

namespace Asya.Sidecar.Configuration;

/// <summary>Turns command-line flags (which win) and ASYA_* environment variables into validated <see cref="SidecarOptions"/>.</summary>
internal static class SidecarOptionsParser
{
    /// <summary>Every flag of the sidecar; <c>--help</c> prints this table.</summary>
    public static FlagTable Flags { get; } = new("asya-sidecar",
    [
        new("actor", "ASYA_ACTOR_NAME", null, "name of the actor this sidecar serves (required)"),
        new("namespace", "ASYA_NAMESPACE", ActorNames.DefaultNamespace, "namespace of the actor's queue asya-<namespace>-<actor>"),
        new("resources-path", "ASYA_RESOURCES_PATH", null, "folder of Dapr Component manifests (repeatable; variable: a:b)") { Repeatable = true },
        new("transport", "ASYA_TRANSPORT_COMPONENT", null, "name of the transport component; default the only pubsub component, else embedded SQLite"),
        new("data-dir", "ASYA_DATA_DIR", ".asya", "folder of the embedded SQLite database asya.db"),
        new("result-store", "ASYA_RESULT_STORE", null, "name of the state component x-sink stores results in"),
        new("allow-embedded-default", "ASYA_ALLOW_EMBEDDED_DEFAULT", "false",
            "use the embedded default even when the manifests' transport is skipped for this actor (otherwise exit 2)"),
        new("concurrency", "ASYA_CONCURRENCY", "1", "envelopes handled at once"),
        new("socket-dir", "ASYA_SOCKET_DIR", RuntimeProtocol.DefaultSocketDirectory, "folder of the runtime's Unix socket"),
        new("metrics-addr", "ASYA_METRICS_ADDR", ":8080", "host:port of /metrics, /healthz, /readyz, or off"),
        new("runtime-command", "ASYA_RUNTIME_COMMAND", null, "command that starts the runtime; the sidecar supervises it"),
        new("builtin", "ASYA_BUILTIN", null, "run a crew actor: x-sink, x-sump, x-pause or x-resume"),
        new("sink", "ASYA_ACTOR_SINK", ActorNames.Sink, "name of the sink actor"),
        new("sump", "ASYA_ACTOR_SUMP", ActorNames.Sump, "name of the sump actor"),
        new("runtime-ready-timeout", "ASYA_RUNTIME_READY_TIMEOUT", "5m", "how long the runtime may take to become ready"),
        new("drain-timeout", "ASYA_DRAIN_TIMEOUT", "30s", "how long in-flight envelopes may finish on SIGTERM"),
        new("max-deliveries", "ASYA_MAX_DELIVERIES", "10", "deliveries of one message before it goes to x-sump"),
        new("auto-create-queues", "ASYA_QUEUE_AUTO_CREATE", "true", "create missing queues"),
        new("log-format", "ASYA_LOG_FORMAT", "text", "text or json"),
        new("log-level", "ASYA_LOG_LEVEL", "info", LogLevels.Vocabulary),
        new("lease", "ASYA_LEASE_DURATION", "30s", "how long a received message stays invisible; extended while a handler runs"),
        new("actor-timeout", "ASYA_RESILIENCY_ACTOR_TIMEOUT", null, "time limit of one handler call"),
        new("gateway-url", "ASYA_GATEWAY_URL", null, "gateway (mesh port) base URL of envelopes without x-asya-gateway-url (the header wins); only http(s) with a host"),
        new("gateway-timeout", "ASYA_GATEWAY_TIMEOUT", "1s", "HTTP timeout of one status report or pre-flight read to a task's gateway"),
        new("gateway-queue-size", "ASYA_GATEWAY_QUEUE_SIZE", "8192", "gateway reports waiting to be sent or in flight; more are dropped and counted"),
        new("pause-metadata", "ASYA_PAUSE_METADATA", PauseMetadata.Default, "x-pause: pause metadata (JSON object) of envelopes without x-asya-pause-metadata"),
        new("resume-merge-mode", "ASYA_RESUME_MERGE_MODE", "shallow", "x-resume: shallow or deep merge of the resume input"),
        new("max-json-depth", ProtocolJson.MaxDepthVariable, ProtocolJson.DefaultMaxDepth.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "JSON nesting limit shared with the runtime and the CLI"),
    ])
    { LastWins = true };

    public static SidecarOptions Parse(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var flags = Flags.Read(args, environment);

        var actor = flags.Get("actor") ?? throw new ConfigurationException($"{flags.Where("actor")} is required: the name of the actor this sidecar serves");
        ValidateName(actor, flags.Where("actor"));
        var ns = flags.Get("namespace")!;
        ValidateName(ns, flags.Where("namespace"));

        var builtin = flags.Get("builtin");
        var sink = flags.Get("sink")!;
        var sump = flags.Get("sump")!;
        ValidateName(sink, flags.Where("sink"));
        ValidateName(sump, flags.Where("sump"));
        if (builtin is not null && !ActorNames.IsBuiltin(builtin) && builtin != sink && builtin != sump)
        {
            throw new ConfigurationException($"{flags.Where("builtin")}: '{builtin}' is not a built-in actor; use x-sink, x-sump, x-pause or x-resume");
        }

        if (builtin is null && (actor == sink || actor == sump))
        {
            throw new ConfigurationException(
                $"{flags.Where("actor")}: '{actor}' is the sink/sump name, reserved for the built-in crew; run it with --builtin {actor}");
        }

        var logFormat = flags.Get("log-format")!.ToLowerInvariant();
        if (logFormat is not ("text" or "json"))
        {
            throw new ConfigurationException($"{flags.Where("log-format")}: '{logFormat}' must be text or json");
        }

        var actorTimeout = flags.Get("actor-timeout");
        flags.GetDurationOrNull("actor-timeout", allowZero: true);

        var depthText = flags.Get("max-json-depth")!;
        if (!ProtocolJson.TryParseMaxDepth(depthText, out var maxJsonDepth, out var depthError))
        {
            throw new ConfigurationException($"{flags.Where("max-json-depth")}: {depthError}");
        }

        var pauseMetadata = flags.Get("pause-metadata")!;
        if (!PauseMetadata.IsObject(pauseMetadata))
        {
            throw new ConfigurationException($"{flags.Where("pause-metadata")}: must be a JSON object such as {PauseMetadata.Default}");
        }

        var mergeMode = flags.Get("resume-merge-mode")!.ToLowerInvariant();
        if (mergeMode is not ("shallow" or "deep"))
        {
            throw new ConfigurationException($"{flags.Where("resume-merge-mode")}: '{mergeMode}' must be shallow or deep");
        }

        return new SidecarOptions
        {
            Actor = actor,
            Namespace = ns,
            ResourcesPaths = flags.GetPaths("resources-path"),
            TransportComponent = flags.Get("transport"),
            DataDirectory = flags.Get("data-dir")!,
            ResultStoreComponent = flags.Get("result-store"),
            AllowEmbeddedDefault = flags.GetBool("allow-embedded-default"),
            Concurrency = flags.GetInt("concurrency", 1, 1024),
            SocketDirectory = flags.Get("socket-dir")!,
            MetricsAddress = flags.GetListenAddress("metrics-addr", allowOff: true),
            RuntimeCommand = flags.Get("runtime-command"),
            Builtin = builtin is null ? null : builtin == ActorNames.Sink ? sink : builtin == ActorNames.Sump ? sump : builtin,
            Sink = sink,
            Sump = sump,
            RuntimeReadyTimeout = flags.GetDuration("runtime-ready-timeout", allowZero: true),
            DrainTimeout = flags.GetDuration("drain-timeout", allowZero: true),
            MaxDeliveries = flags.GetInt("max-deliveries", 1, int.MaxValue),
            AutoCreateQueues = flags.GetBool("auto-create-queues"),
            LogFormat = logFormat,
            LogLevel = flags.GetLogLevel("log-level"),
            Lease = flags.GetDuration("lease", allowZero: true),
            ResiliencyPoliciesJson = environment.GetValueOrDefault("ASYA_RESILIENCY_POLICIES") is { Length: > 0 } p ? p : null,
            ResiliencyRulesJson = environment.GetValueOrDefault("ASYA_RESILIENCY_RULES") is { Length: > 0 } r ? r : null,
            ActorTimeout = actorTimeout,
            MaxJsonDepth = maxJsonDepth,
            GatewayUrl = flags.Get("gateway-url") is { Length: > 0 } gatewayUrl ? gatewayUrl : null,
            GatewayTimeout = flags.GetDuration("gateway-timeout", allowZero: false),
            GatewayQueueSize = flags.GetInt("gateway-queue-size", 1, 1_000_000),
            PauseMetadataJson = pauseMetadata,
            ResumeMergeMode = mergeMode,
        };
    }

    private static void ValidateName(string name, string where)
    {
        if (!ActorNames.IsValid(name))
        {
            throw new ConfigurationException(
                $"{where}: '{name}' is not a DNS label (lower-case letters, digits and '-', at most 63 characters)");
        }
    }
}
