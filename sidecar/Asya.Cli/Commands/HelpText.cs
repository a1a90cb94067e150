namespace Asya.Cli.Commands;

/// <summary>Help of every command.</summary>
internal static class HelpText
{
    public const string Root = """
        asya: run a folder of actors (Python handlers) as a local mesh.

        usage:
          asya up <folder> [--resources-path <dir>] [--verbose] [--start-timeout 90s] [--gateway-addr host:port | --no-gateway]
          asya run <folder> --payload '<json>' [--resources-path <dir>] [--route a,b,c] [--timeout 60s] [--verbose]
          asya call <folder> <flow|actor> --payload '<json>' [--timeout 60s] [--gateway <url>]   (through up's gateway)
          asya send <folder> --payload '<json>' [--resources-path <dir>] [--route a,b,c]
          asya result <folder> <id> [--resources-path <dir>]
          asya manifests <folder> [--image <img>] [--namespace <ns>] [--embed-code]   (Kubernetes YAML on stdout)
          asya components check [--resources-path <dir>] [--app-id <id>] [--namespace <ns>]   (validate manifests)
          asya sidecar [flags]        (advanced: one sidecar process, as asya up starts them)
          asya gateway [flags]        (advanced: the gateway process, as asya up starts it; asya gateway --help)

        A folder holds AsyncActor manifests (*.yaml), plain handler files (foo_bar.py with handle() → actor foo-bar),
        optional Dapr Component manifests (none → embedded SQLite in <folder>/.asya/) and an optional asya.yaml
        (route: [a, b], namespace: ns, flows: [...]; or flows in flows.yaml). --resources-path <dir>[:<dir>] adds folders of Dapr Component manifests (e.g.
        a team's pubsub.rabbitmq component) without touching <folder>. Run 'asya <command> --help' for details.

        When the manifests hold a transport that is not loaded for an actor (scopes, namespace, an ignored error), up,
        run, send and result stop with exit 2 instead of running on the embedded SQLite; --allow-embedded-default
        opts in to the embedded default on purpose.

        environment: ASYA_PYTHON_RUNTIME (runtime file), ASYA_PYTHON (interpreter, default python3).
        exit codes: 0 ok / succeeded, 1 failed, dead-lettered or timed out, 2 usage or configuration error (also a
        handler that does not load), 3 (result) not found yet.
        """;

    public const string Components = """
        usage: asya components check [--resources-path <dir>[:<dir>]] [--app-id <id>] [--namespace <ns>]
                                     [--transport <name>] [--allow-embedded-default]

        Loads and validates every Dapr manifest of the resources path (default: the current folder) exactly as the
        sidecar of --app-id would: YAML, names, scopes, namespace, types, metadata keys and values, secretKeyRefs
        (from secret stores that are available here: files, the environment), the transport choice and Resiliency
        documents. Connects to no broker. Prints one row per Component: name, type, file:line, loaded / skipped
        (why) / error, and its warnings. Without --app-id, scopes are not applied.
        Exit 0 when there is no error (warnings allowed), 1 otherwise.
        """;

    public const string Up = """
        usage: asya up <folder> [--resources-path <dir>] [--verbose] [--start-timeout 90s]
                       [--gateway-addr host:port | --no-gateway]

        Starts x-sink, x-sump and one sidecar per actor of <folder> (each starting its Python runtime), and the
        gateway, waits until all are ready, then runs until Ctrl-C or SIGTERM, which drains and stops them.
        The gateway serves the tasks API on 127.0.0.1:8080 (--gateway-addr; port 0 picks a free one; a port in use
        is exit 2) with the folder's flows (flows.yaml, or flows: in asya.yaml; reloaded when they change), keeps its
        tasks in <folder>/.asya/ and sends through the sidecars' transport; its address is printed, and
        'asya call <folder> <flow> --payload ...' finds it. When a flow routes through x-pause, x-pause and x-resume
        run too. --no-gateway starts none.
        Warnings and errors of the children are shown prefixed by actor; --verbose shows every log line. A sidecar
        that exits is restarted (0.5s, 1s, 2s, ... up to 30s, one line each); after 5 exits within 60s 'up' stops
        everything and exits 1.
        --resources-path <dir>[:<dir>] adds folders of Dapr Component manifests (transport, state store, secrets) to
        the ones in <folder>; give the same folders to 'asya send' and 'asya result'.
        Use 'asya send' and 'asya result' from another terminal.
        """;

    public const string Run = """
        usage: asya run <folder> --payload '<json>' [--resources-path <dir>] [--route a,b,c] [--timeout 60s] [--verbose]
                        [--start-timeout 90s] [--gateway-addr host:port | --no-gateway]

        Like 'asya up', then sends one envelope with <json> as payload along the route (default: asya.yaml route,
        else every actor in manifest order), waits until x-sink or x-sump stored it, prints the final envelope as
        JSON on stdout and a per-hop trace on stderr, and stops everything. The envelope goes in through a gateway of
        its own (a free loopback port, or --gateway-addr), so the handlers' FLY text shows live on stderr;
        --no-gateway sends it straight to the queue (no FLY output). An envelope routed to an actor the
        folder does not have ends the wait at once ("envelope waiting in queue of unknown actor X").
        exit: 0 when status.phase is succeeded (and no fan-out child was dead-lettered), 1 when failed,
        dead-lettered at x-sump, stranded at an unknown actor or not finished within --timeout, 2 on usage or
        configuration errors (bad manifest, a handler that does not load, e.g. a SyntaxError).
        """;

    public const string Call = """
        usage: asya call <folder> <flow|actor> --payload '<json>' [--timeout 60s] [--gateway <url>]

        Submits a task through the gateway of the running 'asya up <folder>' (or the one at --gateway; the variable
        ASYA_GATEWAY_API_KEY is sent as its API key): to the flow of that name, else to that actor alone. Streams the
        task live on stderr: one line per status or progress change, the handlers' FLY text as it comes (word by word
        for {"text": ...} objects), the pause prompt and how to resume; then prints the final payload on stdout.
        exit: 0 succeeded, 1 failed, canceled or not finished within --timeout (the task goes on), 2 on usage errors
        (no running up, unknown flow or actor, a payload the gateway refuses).
        """;

    public const string Send = """
        usage: asya send <folder> --payload '<json>' [--resources-path <dir>] [--route a,b,c]

        Puts one envelope on the first actor's queue and prints its id. It only enqueues, so no 'asya up' needs to
        be running: the envelope waits in the queue until one starts (same folder and --resources-path).
        """;

    public const string Manifests = """
        usage: asya manifests <folder> [--image <img>] [--namespace <ns>] [--sidecar-image <img>] [--embed-code]
                              [--resources-path <dir>[:<dir>]] [--redis-host host:port] [--scaler-service <name>]
                              [--scaler-namespace <ns>] [--gateway-url <url>]

        Prints, as multi-document YAML, what the Asya operator would create for the folder's actors: per actor a
        Deployment (runtime + injected sidecar), a KEDA ScaledObject and the Secret holding its Component manifests,
        plus x-sink/x-sump (and x-pause/x-resume when a flow routes through x-pause, checkpointing in the folder's
        state Component, else state.redis at --redis-host) and the asya-runtime ConfigMap. Apply with:
        asya manifests <folder> | kubectl apply -f -
        --image is the runtime image of actors whose manifest has none (plain handler files); it must contain the
        handler modules, or give --embed-code to ship the folder's *.py files in ConfigMap asya-code (default image
        python:3.12-slim). Components come from the folder and --resources-path folders; with no pubsub Component
        among them the manifests use pubsub.redis at --redis-host
        (default redis:6379). --namespace defaults to asya.yaml's namespace, else default. --gateway-url stamps
        ASYA_GATEWAY_URL (the gateway's mesh URL) into every sidecar, as the operator's --gateway-url does.
        The manifests are checked first for every actor, as 'asya components check' does: an error (unparsable file,
        unknown type, invalid value, a transport not loaded for an actor) prints its reason and exits 2; warnings go
        to stderr.
        """;

    public const string Result = """
        usage: asya result <folder> <id> [--resources-path <dir>]

        Prints the envelope stored under <id> by x-sink (the route finished) or, when x-sink never got it, by x-sump
        (dead-lettered: unparsable, wrong queue, too many deliveries, invalid route, sidecar error), and says which on
        stderr. exit: 0 stored by x-sink as succeeded, 1 stored as failed or dead-lettered, 3 not found yet.
        """;
}
