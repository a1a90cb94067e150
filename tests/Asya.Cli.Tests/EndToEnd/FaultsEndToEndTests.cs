using System.Text;
using System.Text.Json.Nodes;
using Asya.Cli.Commands;
using Asya.Cli.Folder;
using Asya.Cli.Mesh;
using Asya.Mesh.Client;
using Asya.Cli.Tests.Folder;
using Asya.Testing;
using Asya.Testing.Processes;
using Asya.Runtime.Protocol;

namespace Asya.Cli.Tests.EndToEnd;

/// <summary>
/// What the CLI reports when an envelope does not end at x-sink (dead letters, routes to actors the folder lacks,
/// handlers that do not load) and how <c>asya up</c> survives a sidecar that dies: real sidecars, the Python runtime
/// and the embedded SQLite transport.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class FaultsEndToEndTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private static JsonObject Envelope(string stdout) =>
        JsonNode.Parse(stdout)?.AsObject() ?? throw new InvalidOperationException("no envelope on stdout");

    [Fact]
    public async Task Run_HandlerRoutesToSump_ReturnsAtOnceExit1WithEnvelope()
    {
        using var folder = new FolderBuilder().File("a.py", """
            def handle(payload):
                yield "SET", ".route.next", ["x-sump"]
                yield payload
            """);

        var (code, stdout, stderr) = await AsyaProcess.RunAsync(Deadline, null, "run", folder.Path, "--payload", """{"n":1}""", "--timeout", "40s");

        Assert.True(code == 1, stderr);
        Assert.DoesNotContain("no result within", stderr, StringComparison.Ordinal);
        var envelope = Envelope(stdout);
        Assert.Contains($"{envelope["id"]!.GetValue<string>()}: dead-lettered at x-sump", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_FanoutChildDeadLettered_Exit1NamingTheChild()
    {
        using var folder = new FolderBuilder().File("split.py", """
            def handle(payload):
                yield {"part": 1}
                yield "SET", ".route.next", ["x-sump"]
                yield {"part": 2}
            """);

        var (code, stdout, stderr) = await AsyaProcess.RunAsync(Deadline, null, "run", folder.Path, "--payload", "{}", "--timeout", "40s");

        Assert.True(code == 1, stderr);
        var envelope = Envelope(stdout);
        Assert.Equal("succeeded", envelope["status"]!["phase"]!.GetValue<string>());
        Assert.Matches("1 fan-out envelope\\(s\\) of .* dead-lettered at x-sump", stderr);
    }

    [Fact]
    public async Task Run_RouteToActorNotInFolder_ReportsUnknownActorExit1()
    {
        using var folder = new FolderBuilder().File("a.py", """
            def handle(payload):
                yield "SET", ".route.next", ["ghost"]
                yield payload
            """);

        var (code, _, stderr) = await AsyaProcess.RunAsync(Deadline, null, "run", folder.Path, "--payload", "{}", "--timeout", "40s");

        Assert.True(code == 1, stderr);
        Assert.Contains("envelope waiting in queue of unknown actor ghost", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("no result within", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_HandlerSyntaxError_Exit2WithThePythonErrorLine()
    {
        using var folder = new FolderBuilder().File("broken.py", "def handle(payload)\n    return payload\n");

        var (code, _, stderr) = await AsyaProcess.RunAsync(Deadline, null, "run", folder.Path, "--payload", "{}", "--timeout", "40s");

        Assert.True(code == 2, stderr);
        Assert.Contains("SyntaxError", stderr, StringComparison.Ordinal);
        Assert.Contains("broken.py", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Result_EnvelopeDeadLetteredStraightToSump_FoundSaysSumpExit1()
    {
        using var folder = new FolderBuilder().Handler("echo");
        using var up = AsyaProcess.Start(null, "up", folder.Path, "--gateway-addr", "127.0.0.1:0");
        await up.WaitForStderrAsync(l => l.Contains("sidecars ready", StringComparison.Ordinal), Deadline);

        // A producer outside the mesh writes an envelope for another actor into echo's queue: RouteMismatch → x-sump.
        var id = Guid.NewGuid().ToString();
        var mesh = MeshFolderLoader.Load(folder.Path);
        await using (var client = await FolderMesh.ConnectAsync(mesh, null, CancellationToken.None))
        {
            var body = $$$"""{"id":"{{{id}}}","route":{"prev":[],"curr":"someone-else","next":[]},"payload":{"k":1}}""";
            await client.SendAsync(ActorNames.Queue(mesh.Namespace, "echo"), Encoding.UTF8.GetBytes(body), CancellationToken.None);
        }

        var (code, stdout, stderr) = await Eventually.GetAsync(
            async () =>
            {
                var outcome = await ResultAsync(folder.Path, id);
                return outcome.Stdout.Length > 0 ? outcome : null;
            },
            TimeSpan.FromSeconds(60),
            $"asya result {id} to print the dead-lettered envelope");

        Assert.Equal(1, code);
        Assert.Equal(id, Envelope(stdout)["id"]!.GetValue<string>());
        Assert.Contains($"{id}: dead-lettered at x-sump (RouteMismatch", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_SidecarSigkilled_RuntimeGoneSidecarRestartedQueuedEnvelopesProcessed()
    {
        using var folder = new FolderBuilder().Handler("echo");
        using var up = AsyaProcess.Start(null, "up", folder.Path, "--gateway-addr", "127.0.0.1:0");
        await up.WaitForStderrAsync(l => l.Contains("sidecars ready", StringComparison.Ordinal), Deadline);
        var sidecar = Assert.Single(ProcessTable.WithCommandLine(c => c.Contains("\0--actor\0echo\0", StringComparison.Ordinal) && c.Contains(folder.Path, StringComparison.Ordinal)));
        var runtimes = await Eventually.GetAsync(
            () => Task.FromResult(ProcessTable.Children(sidecar).Where(p => ProcessTable.CommandLine(p).Contains("asya_runtime", StringComparison.Ordinal)).ToList() is { Count: > 0 } found ? found : null),
            Deadline,
            "the runtime process of echo");
        var runtime = runtimes[0];

        System.Diagnostics.Process.GetProcessById(sidecar).Kill();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (sendCode, sendOut, sendErr) = await InProcessAsync("send", folder.Path, "--payload", $$"""{"i":{{i}}}""");
            Assert.True(sendCode == 0, sendErr);
            ids.Add(sendOut.Trim());
        }

        await Eventually.TrueAsync(() => Task.FromResult(!ProcessTable.IsAlive(runtime)), TimeSpan.FromSeconds(30), $"runtime pid {runtime} to be gone");
        await up.WaitForStderrAsync(l => l.Contains("echo: sidecar exited", StringComparison.Ordinal) && l.Contains("restart", StringComparison.Ordinal), Deadline);
        foreach (var id in ids)
        {
            var (_, stdout, _) = await Eventually.GetAsync(
                async () =>
                {
                    var outcome = await ResultAsync(folder.Path, id);
                    return outcome.Code == 0 ? outcome : null;
                },
                Deadline,
                $"result of {id}");
            Assert.Equal(id, Envelope(stdout)["id"]!.GetValue<string>());
        }

        Assert.False(up.HasExited, up.Stderr);
    }

    private static Task<CliOutcome> ResultAsync(string folder, string id) => InProcessAsync("result", folder, id);

    private static async Task<CliOutcome> InProcessAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, new CommandContext(stdout, stderr, Environment.GetEnvironmentVariable, TimeProvider.System), CancellationToken.None);
        return new CliOutcome(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A class (not a tuple), so <see cref="Eventually"/> can wait for it.</summary>
    private sealed record CliOutcome(int Code, string Stdout, string Stderr);
}
