using Asya.Hosting.Flags;

namespace Asya.Cli.Cli;

/// <summary>Every option of the <c>asya</c> commands, stated once; each command reads and documents its subset.</summary>
internal static class CliFlags
{
    private static readonly Dictionary<string, FlagSpec> All = new FlagSpec[]
    {
        new("payload", null, null, "the envelope's payload, UTF-8 JSON"),
        new("route", null, null, "actors in order, a,b,c (default: asya.yaml route, else every actor in manifest order)"),
        new("timeout", null, "60s", "how long to wait for the result"),
        new("start-timeout", null, "90s", "how long every sidecar may take to become ready"),
        new("resources-path", null, null, "more folders of Dapr Component manifests, <dir>[:<dir>]"),
        new("verbose", null, null, "show every log line of the children") { IsSwitch = true },
        new("image", null, null, "runtime image of actors whose manifest has none (default python:3.12-slim with --embed-code)"),
        new("namespace", null, null, "namespace of the objects (default: asya.yaml namespace, else default)"),
        new("sidecar-image", null, null, "sidecar image (default: the operator's)"),
        new("redis-host", null, "redis:6379", "pubsub.redis address used when no pubsub Component is given"),
        new("scaler-service", null, null, "external scaler Service name (default: the operator's)"),
        new("scaler-namespace", null, null, "external scaler namespace (default: the operator's)"),
        new("gateway-url", null, null, "mesh URL of the gateway the sidecars report to (ASYA_GATEWAY_URL, as the operator's --gateway-url)"),
        new("embed-code", null, null, "ship the folder's *.py files in ConfigMap asya-code") { IsSwitch = true },
        new("allow-embedded-default", null, null,
            "use the embedded SQLite default even when the manifests hold a transport skipped for this app") { IsSwitch = true },
        new("app-id", null, null, "check the components as the sidecar of this actor would (scopes applied)"),
        new("transport", null, null, "the pubsub component the actor uses (default: the only one loaded)"),
        new("gateway-addr", null, null, "host:port of the gateway's tasks API (up: 127.0.0.1:8080; run: a free port; port 0: a free one)"),
        new("no-gateway", null, null, "start no gateway (asya call and FLY output need one)") { IsSwitch = true },
        new("gateway", null, null, "the gateway's URL (default: the one the running 'asya up <folder>' started)"),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    private static readonly Dictionary<string, FlagTable> Commands = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["up"] = ["resources-path", "verbose", "start-timeout", "allow-embedded-default", "gateway-addr", "no-gateway"],
        ["run"] = ["payload", "resources-path", "route", "timeout", "verbose", "start-timeout", "allow-embedded-default", "gateway-addr", "no-gateway"],
        ["call"] = ["payload", "timeout", "gateway"],
        ["send"] = ["payload", "resources-path", "route", "allow-embedded-default"],
        ["result"] = ["resources-path", "allow-embedded-default"],
        ["components"] = ["resources-path", "app-id", "namespace", "transport", "allow-embedded-default"],
        ["manifests"] = ["image", "namespace", "sidecar-image", "embed-code", "resources-path", "redis-host", "scaler-service", "scaler-namespace", "gateway-url"],
    }.ToDictionary(c => c.Key, c => new FlagTable($"asya {c.Key}", c.Value.Select(name => All[name])) { AllowPositionals = true }, StringComparer.Ordinal);

    /// <summary>The options of <c>asya &lt;command&gt;</c>; its <c>--help</c> lists them.</summary>
    public static FlagTable For(string command) => Commands[command];
}
