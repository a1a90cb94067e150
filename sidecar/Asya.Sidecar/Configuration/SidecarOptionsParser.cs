using Asya.Components.Observability;
using System.Globalization;
using Asya.Components.Abstractions;

namespace Asya.Sidecar.Configuration;

/// <summary>Turns command-line flags (which win) and ASYA_* environment variables into validated <see cref="SidecarOptions"/>.</summary>
internal static partial class SidecarOptionsParser
{
    private static readonly (string Flag, string? Env)[] Known =
    [
        ("actor", "ASYA_ACTOR_NAME"),
        ("namespace", "ASYA_NAMESPACE"),
        ("resources-path", "ASYA_RESOURCES_PATH"),
        ("transport", "ASYA_TRANSPORT_COMPONENT"),
        ("data-dir", "ASYA_DATA_DIR"),
        ("result-store", "ASYA_RESULT_STORE"),
        ("allow-embedded-default", "ASYA_ALLOW_EMBEDDED_DEFAULT"),
        ("concurrency", "ASYA_CONCURRENCY"),
        ("socket-dir", "ASYA_SOCKET_DIR"),
        ("metrics-addr", "ASYA_METRICS_ADDR"),
        ("runtime-command", "ASYA_RUNTIME_COMMAND"),
        ("builtin", "ASYA_BUILTIN"),
        ("sink", "ASYA_ACTOR_SINK"),
        ("sump", "ASYA_ACTOR_SUMP"),
        ("runtime-ready-timeout", "ASYA_RUNTIME_READY_TIMEOUT"),
        ("drain-timeout", "ASYA_DRAIN_TIMEOUT"),
        ("max-deliveries", "ASYA_MAX_DELIVERIES"),
        ("auto-create-queues", "ASYA_QUEUE_AUTO_CREATE"),
        ("log-format", "ASYA_LOG_FORMAT"),
        ("log-level", "ASYA_LOG_LEVEL"),
        ("lease", "ASYA_LEASE_DURATION"),
        ("actor-timeout", "ASYA_RESILIENCY_ACTOR_TIMEOUT"),
        ("max-json-depth", Asya.Runtime.Protocol.ProtocolJson.MaxDepthVariable),
    ];

    public static SidecarOptions Parse(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var flags = ReadFlags(args);

        string? Get(string flag)
        {
            if (flags.TryGetValue(flag, out var values))
            {
                return values[^1];
            }

            var env = Known.First(k => k.Flag == flag).Env;
            return env is not null && environment.TryGetValue(env, out var value) && value.Length > 0 ? value : null;
        }

        string Where(string flag) => Known.First(k => k.Flag == flag).Env is { } env ? $"--{flag} (or {env})" : $"--{flag}";

        var actor = Get("actor") ?? throw new SidecarConfigurationException($"{Where("actor")} is required: the name of the actor this sidecar serves");
        ValidateName(actor, Where("actor"));
        var ns = Get("namespace") ?? "default";
        ValidateName(ns, Where("namespace"));

        List<string> resources = flags.TryGetValue("resources-path", out var paths)
            ? [.. paths]
            : Get("resources-path") is { } joined ? [.. joined.Split(':', StringSplitOptions.RemoveEmptyEntries)] : [];

        var builtin = Get("builtin");
        var sink = Get("sink") ?? "x-sink";
        var sump = Get("sump") ?? "x-sump";
        ValidateName(sink, Where("sink"));
        ValidateName(sump, Where("sump"));
        if (builtin is not null && builtin != "x-sink" && builtin != "x-sump" && builtin != sink && builtin != sump)
        {
            throw new SidecarConfigurationException($"{Where("builtin")}: '{builtin}' is not a built-in actor; use x-sink or x-sump");
        }

        if (builtin is null && (actor == sink || actor == sump))
        {
            throw new SidecarConfigurationException(
                $"{Where("actor")}: '{actor}' is the sink/sump name, reserved for the built-in crew; run it with --builtin {actor}");
        }

        var metrics = Get("metrics-addr") ?? ":8080";
        if (string.Equals(metrics, "off", StringComparison.OrdinalIgnoreCase))
        {
            metrics = null;
        }
        else if (!ListenAddress.TryParse(metrics, out _, out _))
        {
            throw new SidecarConfigurationException($"{Where("metrics-addr")}: '{metrics}' is not host:port (port 0..65535) or 'off'");
        }

        var logFormat = (Get("log-format") ?? "text").ToLowerInvariant();
        if (logFormat is not ("text" or "json"))
        {
            throw new SidecarConfigurationException($"{Where("log-format")}: '{logFormat}' must be text or json");
        }

        var logLevel = (Get("log-level") ?? "info").ToLowerInvariant();
        if (logLevel is not ("trace" or "debug" or "info" or "information" or "warn" or "warning" or "error" or "critical"))
        {
            throw new SidecarConfigurationException($"{Where("log-level")}: '{logLevel}' must be debug, info, warn or error");
        }

        var actorTimeout = Get("actor-timeout");
        if (actorTimeout is not null)
        {
            Duration(actorTimeout, Where("actor-timeout"));
        }

        var maxJsonDepth = Asya.Runtime.Protocol.ProtocolJson.DefaultMaxDepth;
        if (Get("max-json-depth") is { } depthText && !Asya.Runtime.Protocol.ProtocolJson.TryParseMaxDepth(depthText, out maxJsonDepth, out var depthError))
        {
            throw new SidecarConfigurationException($"{Where("max-json-depth")}: {depthError}");
        }

        return new SidecarOptions
        {
            Actor = actor,
            Namespace = ns,
            ResourcesPaths = resources,
            TransportComponent = Get("transport"),
            DataDirectory = Get("data-dir") ?? ".asya",
            ResultStoreComponent = Get("result-store"),
            AllowEmbeddedDefault = Get("allow-embedded-default") is { } allow && Bool(allow, Where("allow-embedded-default")),
            Concurrency = Integer(Get("concurrency"), 1, 1, 1024, Where("concurrency")),
            SocketDirectory = Get("socket-dir") ?? Asya.Runtime.Protocol.RuntimeProtocol.DefaultSocketDirectory,
            MetricsAddress = metrics,
            RuntimeCommand = Get("runtime-command"),
            Builtin = builtin is null ? null : builtin == "x-sink" ? sink : builtin == "x-sump" ? sump : builtin,
            Sink = sink,
            Sump = sump,
            RuntimeReadyTimeout = Get("runtime-ready-timeout") is { } rrt ? Duration(rrt, Where("runtime-ready-timeout")) : TimeSpan.FromMinutes(5),
            DrainTimeout = Get("drain-timeout") is { } dt ? Duration(dt, Where("drain-timeout")) : TimeSpan.FromSeconds(30),
            MaxDeliveries = Integer(Get("max-deliveries"), 10, 1, int.MaxValue, Where("max-deliveries")),
            AutoCreateQueues = Get("auto-create-queues") is not { } auto || Bool(auto, Where("auto-create-queues")),
            LogFormat = logFormat,
            LogLevel = logLevel,
            Lease = Get("lease") is { } lease ? Duration(lease, Where("lease")) : TimeSpan.FromSeconds(30),
            ResiliencyPoliciesJson = environment.GetValueOrDefault("ASYA_RESILIENCY_POLICIES") is { Length: > 0 } p ? p : null,
            ResiliencyRulesJson = environment.GetValueOrDefault("ASYA_RESILIENCY_RULES") is { Length: > 0 } r ? r : null,
            ActorTimeout = actorTimeout,
            MaxJsonDepth = maxJsonDepth,
        };
    }


    private static Dictionary<string, List<string>> ReadFlags(IReadOnlyList<string> args)
    {
        var flags = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new SidecarConfigurationException($"unexpected argument '{arg}': flags look like --name value");
            }

            var name = arg[2..];
            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }

            if (!Known.Any(k => k.Flag == name))
            {
                throw new SidecarConfigurationException(
                    $"unknown flag --{name}; known flags: {string.Join(", ", Known.Select(k => "--" + k.Flag))}");
            }

            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    throw new SidecarConfigurationException($"flag --{name} needs a value");
                }

                value = args[++i];
            }

            if (!flags.TryGetValue(name, out var list))
            {
                flags[name] = list = [];
            }

            list.Add(value);
        }

        return flags;
    }

    private static void ValidateName(string name, string where)
    {
        if (!Asya.Runtime.Protocol.ActorNames.IsValid(name))
        {
            throw new SidecarConfigurationException(
                $"{where}: '{name}' is not a DNS label (lower-case letters, digits and '-', at most 63 characters)");
        }
    }

    private static int Integer(string? text, int defaultValue, int min, int max, string where)
    {
        if (text is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new SidecarConfigurationException($"{where}: '{text}' must be a whole number between {min} and {max}");
        }

        return value;
    }

    private static TimeSpan Duration(string text, string where) =>
        MetadataReader.TryParseDuration(text, bareNumberIsMilliseconds: false, out var value) && value >= TimeSpan.Zero
            ? value
            : throw new SidecarConfigurationException($"{where}: '{text}' is not a duration such as 30s, 5m or 1m30s");

    private static bool Bool(string text, string where) => text.Trim().ToLowerInvariant() switch
    {
        "1" or "true" or "yes" or "on" or "y" or "t" => true,
        "0" or "false" or "no" or "off" or "n" or "f" => false,
        _ => throw new SidecarConfigurationException($"{where}: '{text}' must be true or false"),
    };
}
