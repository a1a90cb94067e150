using Asya.Components.Observability;
using System.Collections;
using System.Globalization;

namespace Asya.ExternalScaler.Configuration;

/// <summary>Flags (<c>--name value</c> or <c>--name=value</c>) win over their <c>ASYA_*</c> variables.</summary>
internal static class ScalerOptionsParser
{
    private static readonly Dictionary<string, string> Variables = new(StringComparer.Ordinal)
    {
        ["grpc-addr"] = "ASYA_SCALER_GRPC_ADDR",
        ["metrics-addr"] = "ASYA_SCALER_METRICS_ADDR",
        ["resources-path"] = "ASYA_RESOURCES_PATH",
        ["data-dir"] = "ASYA_DATA_DIR",
        ["namespace"] = "ASYA_NAMESPACE",
        ["app-id"] = "ASYA_SCALER_APP_ID",
        ["poll-interval"] = "ASYA_SCALER_POLL_INTERVAL",
        ["stale-after"] = "ASYA_SCALER_STALE_AFTER",
        ["forget-after"] = "ASYA_SCALER_FORGET_AFTER",
        ["max-streams"] = "ASYA_SCALER_MAX_STREAMS",
        ["tls-cert"] = "ASYA_SCALER_TLS_CERT",
        ["tls-key"] = "ASYA_SCALER_TLS_KEY",
        ["tls-client-ca"] = "ASYA_SCALER_TLS_CLIENT_CA",
        ["log-level"] = "ASYA_LOG_LEVEL",
    };

    public static ScalerOptions Parse(IReadOnlyList<string> args, IDictionary environment)
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

            return environment[Variables[flag]] is string { Length: > 0 } value ? value : null;
        }

        static string Where(string flag) => $"--{flag} (or {Variables[flag]})";

        var grpc = Get("grpc-addr") ?? ":6000";
        if (!ListenAddress.TryParse(grpc, out _, out _))
        {
            throw new ScalerConfigurationException($"{Where("grpc-addr")}: '{grpc}' is not host:port (port 0..65535)");
        }

        var metrics = Get("metrics-addr") ?? ":8080";
        if (string.Equals(metrics, "off", StringComparison.OrdinalIgnoreCase))
        {
            metrics = null;
        }
        else if (!ListenAddress.TryParse(metrics, out _, out _))
        {
            throw new ScalerConfigurationException($"{Where("metrics-addr")}: '{metrics}' is not host:port (port 0..65535) or 'off'");
        }

        List<string> resources = flags.TryGetValue("resources-path", out var paths)
            ? paths
            : Get("resources-path") is { } joined ? [.. joined.Split(':', StringSplitOptions.RemoveEmptyEntries)] : [];

        var cert = Get("tls-cert");
        var key = Get("tls-key");
        var clientCa = Get("tls-client-ca");
        if ((cert is null) != (key is null))
        {
            throw new ScalerConfigurationException($"{Where("tls-cert")} and {Where("tls-key")} go together: give both or neither");
        }

        if (clientCa is not null && cert is null)
        {
            throw new ScalerConfigurationException($"{Where("tls-client-ca")} needs server TLS: give {Where("tls-cert")} and {Where("tls-key")} too");
        }

        foreach (var (flag, file) in new[] { ("tls-cert", cert), ("tls-key", key), ("tls-client-ca", clientCa) })
        {
            if (file is not null && !File.Exists(file))
            {
                throw new ScalerConfigurationException($"{Where(flag)}: file '{Path.GetFullPath(file)}' does not exist");
            }
        }

        var logLevel = (Get("log-level") ?? "info").ToLowerInvariant();
        if (logLevel is not ("trace" or "debug" or "info" or "warn" or "warning" or "error"))
        {
            throw new ScalerConfigurationException($"{Where("log-level")}: '{logLevel}' must be debug, info, warn or error");
        }

        return new ScalerOptions
        {
            GrpcAddress = grpc,
            MetricsAddress = metrics,
            ResourcesPaths = resources,
            DataDirectory = Get("data-dir") ?? Asya.Components.EmbeddedComponents.DefaultDataDirectory,
            Namespace = Get("namespace"),
            AppId = Get("app-id") ?? "asya-external-scaler",
            PollInterval = Get("poll-interval") is { } poll ? Duration(poll, Where("poll-interval")) : null,
            StaleAfter = Get("stale-after") is { } stale ? Duration(stale, Where("stale-after")) : null,
            ForgetAfter = Get("forget-after") is { } forget ? Duration(forget, Where("forget-after")) : TimeSpan.FromMinutes(10),
            MaxStreamsPerConnection = Get("max-streams") is { } streams ? Count(streams, Where("max-streams")) : 10_000,
            TlsCertificateFile = cert,
            TlsKeyFile = key,
            TlsClientCaFile = clientCa,
            LogLevel = logLevel,
        };
    }


    /// <summary>Go-style (<c>100ms</c>, <c>2s</c>, <c>1m</c>) or bare seconds; must be positive.</summary>
    private static TimeSpan Duration(string text, string where)
    {
        var value = text.Trim();
        (string Suffix, double Scale)[] units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)];
        foreach (var (suffix, scale) in units)
        {
            if (value.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(value[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0)
            {
                return TimeSpan.FromMilliseconds(number * scale);
            }
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        throw new ScalerConfigurationException($"{where}: '{text}' is not a positive duration (e.g. 100ms, 2s, 1m)");
    }

    private static int Count(string text, string where) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 100
            ? value
            : throw new ScalerConfigurationException($"{where}: '{text}' must be a whole number ≥ 100");

    private static Dictionary<string, List<string>> ReadFlags(IReadOnlyList<string> args)
    {
        var flags = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ScalerConfigurationException($"unexpected argument '{args[i]}': flags look like --name value");
            }

            var name = args[i][2..];
            string value;
            if (name.IndexOf('=', StringComparison.Ordinal) is var eq and >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                throw new ScalerConfigurationException($"--{name} needs a value");
            }

            if (!Variables.ContainsKey(name))
            {
                throw new ScalerConfigurationException(
                    $"unknown flag --{name}; known flags: {string.Join(", ", Variables.Keys.Select(k => "--" + k))}");
            }

            if (!flags.TryGetValue(name, out var list))
            {
                flags[name] = list = [];
            }

            list.Add(value);
        }

        return flags;
    }
}
