using Asya.Components;
using Asya.Hosting;
using Asya.Hosting.Flags;
using Asya.Runtime.Protocol;

namespace Asya.Gateway.Configuration;

/// <summary>Flags (<c>--name value</c> or <c>--name=value</c>) win over their <c>ASYA_*</c> variables.</summary>
internal static class GatewayOptionsParser
{
    /// <summary>Every flag of the gateway; <c>--help</c> prints this table.</summary>
    public static FlagTable Flags { get; } = new("asya-gateway",
    [
        new("api-addr", "ASYA_GATEWAY_API_ADDR", ":8080", "host:port of the tasks API (clients; API key when set)"),
        new("mesh-addr", "ASYA_GATEWAY_MESH_ADDR", ":8081", "host:port of the sidecar callbacks (reports, pre-flight)"),
        new("mesh-url", "ASYA_GATEWAY_MESH_URL", null, "URL sidecars call, stamped into envelopes as x-asya-gateway-url (default: the bound mesh address)"),
        new("public-url", "ASYA_GATEWAY_PUBLIC_URL", null, "URL clients reach the api port at"),
        new("api-key", "ASYA_GATEWAY_API_KEY", null, "key every api-port request must carry (Authorization: Bearer or X-API-Key); none = open"),
        new("flows", "ASYA_GATEWAY_FLOWS", null, "flows.yaml, an asya.yaml with flows:, or a folder holding them (hot-reloaded)"),
        new("flows-poll", "ASYA_GATEWAY_FLOWS_POLL", "2s", "how often the flows files are checked for changes"),
        new("resources-path", "ASYA_RESOURCES_PATH", null, "folder of Dapr Component manifests (repeatable; variable: a:b)") { Repeatable = true },
        new("actor-transport", "ASYA_GATEWAY_ACTOR_TRANSPORTS", null,
            "actor=component: send to that actor's queue through its own transport (its spec.transport; repeatable; variable: a=x,b=y)") { Repeatable = true },
        new("allow-embedded-default", "ASYA_ALLOW_EMBEDDED_DEFAULT", "false",
            "use the embedded default even when the manifests' transport is skipped for the gateway (otherwise exit 2)"),
        new("task-store", "ASYA_GATEWAY_TASK_STORE", null, "state.postgresql component of --resources-path holding the tasks (several replicas); none: SQLite in --data-dir"),
        new("data-dir", "ASYA_DATA_DIR", EmbeddedComponents.DefaultDataDirectory, "folder of the embedded SQLite files (transport default, task store)"),
        new("namespace", "ASYA_NAMESPACE", ActorNames.DefaultNamespace, "mesh namespace: queues are asya-<namespace>-<actor>"),
        new("max-body", "ASYA_GATEWAY_MAX_BODY", "8388608", "largest submit or resume body in bytes (above: 413)"),
        new("sse-keepalive", "ASYA_GATEWAY_SSE_KEEPALIVE", "15s", "interval of ': keepalive' on an idle event stream"),
        new("backstop-interval", "ASYA_BACKSTOP_INTERVAL", "5s", "how often tasks past their deadline are failed"),
        new("log-level", "ASYA_LOG_LEVEL", "info", LogLevels.Vocabulary),
        new("log-format", "ASYA_LOG_FORMAT", "json", "json or text"),
    ])
    { LastWins = true };

    public static GatewayOptions Parse(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var flags = Flags.Read(args, environment);
        var ns = flags.Get("namespace")!;
        if (!ActorNames.IsValid(ns))
        {
            throw new ConfigurationException($"{flags.Where("namespace")}: '{ns}' must be a DNS label (lower-case letters, digits, '-')");
        }

        var format = flags.Get("log-format")!.ToLowerInvariant();
        if (format is not ("json" or "text"))
        {
            throw new ConfigurationException($"{flags.Where("log-format")}: '{format}' must be json or text");
        }

        return new GatewayOptions
        {
            ApiAddress = flags.GetListenAddress("api-addr", allowOff: false)!,
            MeshAddress = flags.GetListenAddress("mesh-addr", allowOff: false)!,
            MeshUrl = flags.GetHttpUrl("mesh-url"),
            PublicUrl = flags.GetHttpUrl("public-url"),
            ApiKey = flags.Get("api-key") is { Length: > 0 } key ? key : null,
            FlowsPath = flags.Get("flows"),
            FlowsPollInterval = flags.GetDuration("flows-poll"),
            ResourcesPaths = flags.GetPaths("resources-path"),
            AllowEmbeddedDefault = flags.GetBool("allow-embedded-default"),
            ActorTransports = ActorTransports(flags),
            TaskStore = flags.Get("task-store") is { Length: > 0 } store ? store : null,
            DataDirectory = flags.Get("data-dir")!,
            Namespace = ns,
            MaxBodyBytes = flags.GetInt("max-body", 1024, int.MaxValue),
            KeepaliveInterval = flags.GetDuration("sse-keepalive"),
            BackstopInterval = flags.GetDuration("backstop-interval"),
            LogLevel = flags.GetLogLevel("log-level"),
            LogFormat = format,
        };
    }

    private static Dictionary<string, string> ActorTransports(FlagValues flags)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in flags.GetPaths("actor-transport").SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            var actor = equals < 0 ? entry : entry[..equals];
            var component = equals < 0 ? string.Empty : entry[(equals + 1)..];
            if (!ActorNames.IsValid(actor) || component.Length == 0)
            {
                throw new ConfigurationException($"{flags.Where("actor-transport")}: '{entry}' must be actor=component (an actor name and its transport component)");
            }

            result[actor] = component;
        }

        return result;
    }
}
