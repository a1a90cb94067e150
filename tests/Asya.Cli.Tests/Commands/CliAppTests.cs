using Asya.Cli.Cli;
using Asya.Cli.Commands;
using Asya.Cli.Tests.Folder;
using Asya.Testing;

namespace Asya.Cli.Tests.Commands;

public sealed class CliAppTests
{
    private static readonly string TextPipeline = Path.Combine(RepoPaths.Root, "examples", "text-pipeline");

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(Func<string, string?> env, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var context = new CommandContext(stdout, stderr, env, TimeProvider.System);
        var code = await CliApp.RunAsync(args, context, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) => RunAsync(_ => null, args);

    [Fact]
    public async Task RunAsync_NoArguments_UsageOnStderrExit2()
    {
        var (code, _, stderr) = await RunAsync();

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("usage:", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("up", "--help")]
    [InlineData("run", "--help")]
    [InlineData("send", "--help")]
    [InlineData("result", "-h")]
    [InlineData("sidecar", "--help")]
    public async Task RunAsync_Help_PrintsUsageExit0(params string[] args)
    {
        var (code, stdout, _) = await RunAsync(args);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("usage:", stdout, StringComparison.Ordinal);
        Assert.Contains("asya ", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("up", "--gateway-addr", "--no-gateway")]
    [InlineData("run", "--gateway-addr", "--no-gateway")]
    [InlineData("call", "--payload", "--timeout", "--gateway")]
    [InlineData("gateway", "--api-addr", "--mesh-addr", "--flows", "--allow-embedded-default")]
    public async Task RunAsync_HelpOfGatewayCommands_ListsTheirFlags(string command, params string[] flags)
    {
        var (code, stdout, _) = await RunAsync(command, "--help");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.All(flags, flag => Assert.Contains(flag, stdout, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_UpGatewayPortInUse_Exit2NamingTheFlagBeforeStarting()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var (code, _, stderr) = await RunAsync("up", TextPipeline, "--gateway-addr", $"127.0.0.1:{port}");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"--gateway-addr: port {port} is in use", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("starting", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnknownCommand_Exit2()
    {
        var (code, _, stderr) = await RunAsync("deploy");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("unknown command 'deploy'", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing <folder>", "run")]
    [InlineData("--payload '<json>' is required", "run", "EXAMPLE")]
    [InlineData("--payload: not valid JSON", "run", "EXAMPLE", "--payload", "{oops")]
    [InlineData("--timeout: 'soon' is not a duration such as 30s, 5m or 1m30s", "run", "EXAMPLE", "--payload", "{}", "--timeout", "soon")]
    [InlineData("--route: 'ghost' is not an actor of this folder", "run", "EXAMPLE", "--payload", "{}", "--route", "validate,ghost")]
    [InlineData("asya run: unknown flag --paylod", "run", "EXAMPLE", "--paylod", "{}")]
    [InlineData("asya send: flag --payload needs a value", "send", "EXAMPLE", "--payload")]
    [InlineData("expected <folder> <id>", "result", "EXAMPLE")]
    [InlineData("/nonexistent/f: no such folder", "up", "/nonexistent/f")]
    [InlineData("--gateway-addr and --no-gateway: give one of them", "up", "EXAMPLE", "--no-gateway", "--gateway-addr", ":1")]
    [InlineData("--gateway-addr: '10.0.0.1:80' must be host:port", "run", "EXAMPLE", "--payload", "{}", "--gateway-addr", "10.0.0.1:80")]
    [InlineData("expected <folder> <flow|actor>", "call", "EXAMPLE")]
    [InlineData("'ghost' is neither a flow nor an actor", "call", "EXAMPLE", "ghost", "--payload", "{}")]
    [InlineData("no 'asya up", "call", "EXAMPLE", "judge", "--payload", "{}")]
    [InlineData("--gateway: 'localhost:8080' is not an http:// or https:// URL", "call", "EXAMPLE", "judge", "--payload", "{}", "--gateway", "localhost:8080")]
    public async Task RunAsync_BadArguments_Exit2WithMessage(string expected, params string[] args)
    {
        var resolved = args.Select(a => a == "EXAMPLE" ? TextPipeline : a).ToArray();

        var (code, _, stderr) = await RunAsync(resolved);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BadManifest_Exit2NamingFileAndField()
    {
        using var folder = new FolderBuilder().Handler("judge").Actor("judge", "judge");

        var (code, _, stderr) = await RunAsync("run", folder.Path, "--payload", "{}");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("judge.yaml: spec.handler: 'judge' must be module.function", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RuntimeFileMissing_Exit2NamingEnvVar()
    {
        var (code, _, stderr) = await RunAsync(
            k => k == "ASYA_PYTHON_RUNTIME" ? "/nonexistent/asya_runtime.py" : null,
            "run", TextPipeline, "--payload", "{}");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("Python runtime file not found: /nonexistent/asya_runtime.py (set ASYA_PYTHON_RUNTIME", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TransportScopedToOtherApps_Exit2NamingItInsteadOfRunningOnTheEmbeddedDefault()
    {
        var manifests = Path.Combine(RepoPaths.Root, "tests", "Asya.Cli.Tests", "DaprCorpus", "scoped-away");

        var (code, _, stderr) = await RunAsync("run", TextPipeline, "--resources-path", manifests, "--payload", "{}");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("no transport component is loaded for 'x-sink', so it would run on the embedded SQLite default", stderr, StringComparison.Ordinal);
        Assert.Contains("component 'orderpubsub' (" + Path.Combine(manifests, "pubsub.yaml") + ":7): scopes name checkout, order-processor, not 'x-sink'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnparsableManifest_Exit2NamingFileAndLine()
    {
        var manifests = Path.Combine(RepoPaths.Root, "tests", "Asya.Cli.Tests", "DaprCorpus", "broken-yaml");

        var (code, _, stderr) = await RunAsync("run", TextPipeline, "--resources-path", manifests, "--payload", "{}");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(Path.Combine(manifests, "pubsub.yaml") + ":16: invalid YAML", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manifests_MisspelledTypeAndKey_RefusedAndWarnedBeforeRendering()
    {
        using var manifests = new TempDirectory();
        await File.WriteAllTextAsync(manifests.Combine("pubsub.yaml"), """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata: {name: bus}
            spec:
              type: pubsub.rabbit
              version: v1
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata: {name: results}
            spec:
              type: state.redis
              version: v1
              metadata:
              - {name: redisHots, value: "redis:6379"}
              - {name: redisHost, value: "redis:6379"}
            """);

        var (code, stdout, stderr) = await RunAsync("manifests", TextPipeline, "--resources-path", manifests.Path);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("unknown component type 'pubsub.rabbit' (did you mean pubsub.rabbitmq?)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manifests_GatewayUrl_StampedIntoEverySidecarLikeTheOperator()
    {
        var (code, stdout, _) = await RunAsync("manifests", TextPipeline, "--gateway-url", "http://asya-gateway.asya-system:8081/");

        Assert.Equal(ExitCodes.Ok, code);
        var deployments = stdout.Split("---\n").Count(d => d.Contains("kind: Deployment", StringComparison.Ordinal));
        Assert.True(deployments >= 5, stdout);
        // Trailing slash dropped, as the operator's flag reads it (the same FlagValues.GetHttpUrl).
        Assert.Equal(deployments, System.Text.RegularExpressions.Regex.Count(stdout, @"name: ASYA_GATEWAY_URL\n\s+value: http://asya-gateway\.asya-system:8081\n"));
    }

    [Fact]
    public async Task Manifests_GatewayUrlNotHttp_ExitsTwoNamingTheFlag()
    {
        var (code, stdout, stderr) = await RunAsync("manifests", TextPipeline, "--gateway-url", "asya-gateway:8081");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("--gateway-url: 'asya-gateway:8081' is not an http:// or https:// URL with a host", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manifests_UnknownKey_WarnsAndRenders()
    {
        using var manifests = new TempDirectory();
        await File.WriteAllTextAsync(manifests.Combine("state.yaml"), """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata: {name: results}
            spec:
              type: state.redis
              version: v1
              metadata:
              - {name: redisHost, value: "redis:6379"}
              - {name: redisHots, value: "redis:6379"}
            """);

        var (code, stdout, stderr) = await RunAsync("manifests", TextPipeline, "--resources-path", manifests.Path);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("kind: Deployment", stdout, StringComparison.Ordinal);
        Assert.Contains("asya: warning: component 'results' (" + manifests.Combine("state.yaml") + ":1): unknown metadata key 'redisHots' (did you mean 'redisHost'?)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ComponentsCheck_NoArguments_ChecksTheCurrentFolderWithoutScopes()
    {
        var (code, stdout, _) = await RunAsync("components", "check", "--resources-path", Path.Combine(RepoPaths.Root, "examples", "brokers", "rabbitmq"));

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("pubsub     pubsub.rabbitmq", stdout, StringComparison.Ordinal);
        Assert.Contains("app: any (scopes not applied", stdout, StringComparison.Ordinal);
    }
}
