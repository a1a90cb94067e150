using System.Security.Cryptography;
using System.Text;
using Asya.Cli.Folder;
using Asya.Runtime.Protocol;

namespace Asya.Cli.Local;

/// <summary>
/// Turns a folder into child command lines: the crew (x-sink, x-sump; x-pause and x-resume when a flow pauses) first,
/// then one sidecar per actor with <c>--runtime-command</c>, a short socket dir under /tmp, a free metrics port and JSON
/// logs, then the gateway (same namespace, manifests and data dir, so it sends through the sidecars' transport).
/// </summary>
internal static class LaunchPlanner
{
    public static IReadOnlyList<SidecarLaunch> Plan(MeshFolder mesh, LaunchOptions options, Func<int> nextPort, Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(nextPort);
        ArgumentNullException.ThrowIfNull(env);
        var socketRoot = SocketRoot(mesh.Root);
        var launches = new List<SidecarLaunch>();
        string[] crews = mesh.UsesPause ? [ActorNames.Sink, ActorNames.Sump, ActorNames.Pause, ActorNames.Resume] : [ActorNames.Sink, ActorNames.Sump];
        foreach (var crew in crews)
        {
            var port = nextPort();
            var args = Common(mesh, crew, port);
            args.AddRange(["--builtin", crew]);
            launches.Add(new SidecarLaunch(crew, args, new Dictionary<string, string>(), port, Path.Combine(socketRoot, crew)) { IsCrew = true });
        }

        foreach (var actor in mesh.Actors)
        {
            var port = nextPort();
            var socketDir = Path.Combine(socketRoot, ShortName(actor.Name));
            var args = Common(mesh, actor.Name, port);
            args.AddRange([
                "--concurrency", actor.Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--socket-dir", socketDir,
                "--runtime-command", $"{Quote(options.Python)} {Quote(options.RuntimeFile)}",
            ]);
            if (actor.Transport is { } transport)
            {
                args.AddRange(["--transport", transport]);
            }

            var vars = ActorEnvironment(mesh, actor, env, options.Verbose);
            vars["ASYA_SOCKET_DIR"] = socketDir;
            launches.Add(new SidecarLaunch(actor.Name, args, vars, port, socketDir));
        }

        if (options.Gateway is { } gateway)
        {
            launches.Add(Gateway(mesh, gateway, nextPort(), socketRoot));
        }

        return launches;
    }

    /// <summary>
    /// <c>asya gateway</c> with the folder as its flows (flows.yaml, asya.yaml; hot-reloaded) and a free loopback mesh port; readiness
    /// is read on its api port, which serves <c>/readyz</c> too.
    /// </summary>
    private static SidecarLaunch Gateway(MeshFolder mesh, LocalGateway gateway, int meshPort, string socketRoot)
    {
        var args = new List<string>
        {
            "gateway",
            "--api-addr", gateway.ListenAddress,
            "--mesh-addr", $"127.0.0.1:{meshPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            "--namespace", mesh.Namespace,
            "--data-dir", mesh.DataDir,
            "--log-format", "json",
            "--log-level", "info",
        };
        if (gateway.ServesFlows)
        {
            args.AddRange(["--flows", mesh.Root]);
        }

        foreach (var path in mesh.ResourcesPaths)
        {
            args.AddRange(["--resources-path", path]);
        }

        if (mesh.AllowEmbeddedDefault)
        {
            args.AddRange(["--allow-embedded-default", "true"]);
        }

        // The gateway sends to an actor's queue through the transport that actor's sidecar reads.
        foreach (var actor in mesh.Actors.Where(a => a.Transport is not null))
        {
            args.AddRange(["--actor-transport", $"{actor.Name}={actor.Transport}"]);
        }

        // '_' is never in an actor name, so this folder cannot be an actor's socket folder.
        return new SidecarLaunch(GatewayName, args, new Dictionary<string, string>(), gateway.Port, Path.Combine(socketRoot, "_gateway")) { IsGateway = true };
    }

    /// <summary>How the gateway's lines are prefixed in the output of <c>asya up</c>.</summary>
    public const string GatewayName = "gateway";

    /// <summary>
    /// /tmp/asya-&lt;8 hex&gt; of the folder path and this process, so two runs of one folder never share sockets; short
    /// enough for Unix socket paths below it.
    /// </summary>
    public static string SocketRoot(string folderRoot) =>
        Path.Combine("/tmp", "asya-" + Hash($"{folderRoot}:{Environment.ProcessId}"));

    // Unix socket paths are limited to 107 bytes; long actor names are cut and made unique with a hash.
    private static string ShortName(string actor) =>
        actor.Length <= 40 ? actor : $"{actor[..31]}-{Hash(actor)}";

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];

    private static List<string> Common(MeshFolder mesh, string actor, int port)
    {
        var args = new List<string> { "sidecar", "--actor", actor, "--namespace", mesh.Namespace };
        foreach (var path in mesh.ResourcesPaths)
        {
            args.AddRange(["--resources-path", path]);
        }

        if (mesh.AllowEmbeddedDefault)
        {
            args.AddRange(["--allow-embedded-default", "true"]);
        }

        args.AddRange([
            "--data-dir", mesh.DataDir,
            "--metrics-addr", $"127.0.0.1:{port}",
            "--log-format", "json",

            // Explicit, because ASYA_LOG_LEVEL in the environment is meant for the runtime (and the sidecar reads it too).
            "--log-level", "info",
        ]);
        return args;
    }

    private static Dictionary<string, string> ActorEnvironment(MeshFolder mesh, ActorDefinition actor, Func<string, string?> env, bool verbose)
    {
        // The runtime inherits the sidecar's environment, so the handler settings go here.
        var pythonPath = env("PYTHONPATH") is { Length: > 0 } existing ? $"{mesh.Root}{Path.PathSeparator}{existing}" : mesh.Root;
        var vars = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ASYA_HANDLER"] = actor.Handler,
            ["PYTHONPATH"] = pythonPath,
            ["PYTHONUNBUFFERED"] = "1",

            // The runtime's start-up chatter only with --verbose; its warnings and errors always show.
            ["ASYA_LOG_LEVEL"] = verbose ? "INFO" : "WARNING",
        };
        if (actor.ResiliencyPolicies is { } policies)
        {
            vars["ASYA_RESILIENCY_POLICIES"] = policies;
        }

        if (actor.ResiliencyRules is { } rules)
        {
            vars["ASYA_RESILIENCY_RULES"] = rules;
        }

        if (actor.ActorTimeout is { } timeout)
        {
            vars["ASYA_RESILIENCY_ACTOR_TIMEOUT"] = timeout;
        }

        foreach (var (key, value) in actor.Env)
        {
            vars[key] = value;
        }

        return vars;
    }

    /// <summary>POSIX shell quoting, only when needed.</summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '+' or ':' or '=' or ',')
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
