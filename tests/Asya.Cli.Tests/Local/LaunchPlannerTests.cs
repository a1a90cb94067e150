using Asya.Cli.Folder;
using Asya.Cli.Local;
using Asya.Cli.Tests.Folder;

namespace Asya.Cli.Tests.Local;

public sealed class LaunchPlannerTests
{
    private static readonly LaunchOptions Options = new(new SelfCommand("dotnet", ["/x/asya.dll"]), "python3", "/repo/runtime/python/asya_runtime.py");

    [Fact]
    public void Plan_Folder_CrewFirstThenActorsWithRuntimeCommand()
    {
        using var folder = new FolderBuilder().Handler("a").Actor("a", "a.handle", "  concurrency: 4\n  transport: mesh");
        var mesh = MeshFolderLoader.Load(folder.Path);
        var port = 5000;

        var launches = LaunchPlanner.Plan(mesh, Options, () => port++, _ => null);

        Assert.Equal(["x-sink", "x-sump", "a"], launches.Select(l => l.Actor));
        Assert.Equal(["sidecar", "--actor", "x-sink", "--namespace", "default", "--data-dir", mesh.DataDir, "--metrics-addr", "127.0.0.1:5000", "--log-format", "json", "--log-level", "info", "--builtin", "x-sink"], launches[0].Arguments);
        var actor = launches[2];
        Assert.Equal(5002, actor.MetricsPort);
        Assert.Equal(
            ["sidecar", "--actor", "a", "--namespace", "default", "--data-dir", mesh.DataDir, "--metrics-addr", "127.0.0.1:5002", "--log-format", "json", "--log-level", "info",
             "--concurrency", "4", "--socket-dir", actor.SocketDir, "--runtime-command", "python3 /repo/runtime/python/asya_runtime.py", "--transport", "mesh"],
            actor.Arguments);
        Assert.Equal("a.handle", actor.Environment["ASYA_HANDLER"]);
        Assert.Equal(mesh.Root, actor.Environment["PYTHONPATH"]);
    }

    [Fact]
    public void Plan_ResiliencyAndEnv_GoToSidecarEnvironment()
    {
        using var folder = new FolderBuilder().Handler("a").Actor("a", "a.handle", """
              env:
                - {name: MODEL, value: tiny}
              resiliency:
                actorTimeout: 10s
                policies: {default: {maxAttempts: 2}}
                rules: [{errors: [ValueError], policy: default}]
            """);
        var mesh = MeshFolderLoader.Load(folder.Path);

        var env = LaunchPlanner.Plan(mesh, Options, () => 1, k => k == "PYTHONPATH" ? "/lib" : null)[2].Environment;

        Assert.Equal("tiny", env["MODEL"]);
        Assert.Equal("10s", env["ASYA_RESILIENCY_ACTOR_TIMEOUT"]);
        Assert.Equal("""{"default":{"maxAttempts":2}}""", env["ASYA_RESILIENCY_POLICIES"]);
        Assert.Equal("""[{"errors":["ValueError"],"policy":"default"}]""", env["ASYA_RESILIENCY_RULES"]);
        Assert.Equal($"{mesh.Root}:/lib", env["PYTHONPATH"]);
    }

    [Fact]
    public void Plan_ResourcesPath_PassedToEverySidecar()
    {
        using var folder = new FolderBuilder().Handler("a").File("c.yaml", "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: m}\nspec: {type: pubsub.sqlite, version: v1}\n");
        var mesh = MeshFolderLoader.Load(folder.Path);

        var launches = LaunchPlanner.Plan(mesh, Options, () => 1, _ => null);

        Assert.All(launches, l => Assert.Contains(mesh.Root, l.Arguments.SkipWhile(a => a != "--resources-path").Take(2)));
    }

    [Fact]
    public void Plan_LongestActorName_SocketPathFitsUnixLimit()
    {
        var name = new string('a', 63);
        using var folder = new FolderBuilder().Handler("m").Actor(name, "m.handle");
        var mesh = MeshFolderLoader.Load(folder.Path);

        var launch = LaunchPlanner.Plan(mesh, Options, () => 1, _ => null)[2];

        Assert.True(Path.Combine(launch.SocketDir, "asya-runtime.sock").Length < 100, launch.SocketDir);
    }

    [Fact]
    public void Quote_WordWithSpace_IsSingleQuoted()
    {
        Assert.Equal("'/my dir/rt.py'", LaunchPlanner.Quote("/my dir/rt.py"));
        Assert.Equal("'it'\\''s'", LaunchPlanner.Quote("it's"));
        Assert.Equal("/usr/bin/python3", LaunchPlanner.Quote("/usr/bin/python3"));
    }

    [Fact]
    public void Plan_Gateway_LastWithFolderFlowsDataDirAndFreeMeshPort()
    {
        using var folder = new FolderBuilder().Handler("a");
        var mesh = MeshFolderLoader.Load(folder.Path);
        var port = 5000;

        var launches = LaunchPlanner.Plan(mesh, Options with { Gateway = new LocalGateway("127.0.0.1", 8080) }, () => port++, _ => null);

        var gateway = launches[^1];
        Assert.True(gateway.IsGateway);
        Assert.Equal(8080, gateway.MetricsPort);
        Assert.Equal(
            ["gateway", "--api-addr", "127.0.0.1:8080", "--mesh-addr", "127.0.0.1:5003", "--namespace", "default", "--data-dir", mesh.DataDir,
             "--log-format", "json", "--log-level", "info", "--flows", mesh.Root],
            gateway.Arguments);
        Assert.Same(gateway, gateway.WithPort(6000));
        Assert.DoesNotContain(launches, l => l.Actor is "x-pause" or "x-resume");
    }

    [Fact]
    public void Plan_ActorWithTransport_GatewaySendsThroughIt()
    {
        using var folder = new FolderBuilder().Handler("a").Actor("a", "a.handle", "  transport: mesh").Handler("b");
        var mesh = MeshFolderLoader.Load(folder.Path);

        var gateway = LaunchPlanner.Plan(mesh, Options with { Gateway = new LocalGateway("127.0.0.1", 8080) }, () => 1, _ => null)[^1];

        Assert.Equal(["--actor-transport", "a=mesh"], gateway.Arguments.SkipWhile(a => a != "--actor-transport"));
    }

    [Fact]
    public void Plan_RunGatewayServesNoFlows_NoFlowsFlag()
    {
        using var folder = new FolderBuilder().Handler("a");
        var mesh = MeshFolderLoader.Load(folder.Path);

        var launches = LaunchPlanner.Plan(mesh, Options with { Gateway = new LocalGateway("127.0.0.1", 8080) { ServesFlows = false } }, () => 1, _ => null);

        Assert.DoesNotContain("--flows", launches[^1].Arguments);
    }

    [Fact]
    public void Plan_FlowThroughPause_PauseAndResumeCrewToo()
    {
        using var folder = new FolderBuilder().Handler("a").Handler("b")
            .File("flows.yaml", "flows:\n- name: review\n  entrypoint: a\n  route_next: [x-pause, b]\n");
        var mesh = MeshFolderLoader.Load(folder.Path);

        var launches = LaunchPlanner.Plan(mesh, Options, () => 1, _ => null);

        Assert.Equal(["x-sink", "x-sump", "x-pause", "x-resume", "a", "b"], launches.Select(l => l.Actor));
        Assert.All(launches.Take(4), l => Assert.True(l.IsCrew));
        Assert.Equal(["--builtin", "x-pause"], launches[2].Arguments.TakeLast(2));
    }
}
