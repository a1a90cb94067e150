using System.Text.Json.Nodes;
using Asya.Testing;
using Microsoft.Data.Sqlite;

namespace Asya.Cli.Tests.EndToEnd;

/// <summary>
/// The real thing: <c>dotnet asya.dll run|up|send|result</c> as a child process, real sidecars, the Python runtime and the
/// embedded SQLite transport. One class, so these heavy tests run one after the other.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class ExamplesEndToEndTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private static JsonObject Envelope(string stdout) =>
        JsonNode.Parse(stdout)?.AsObject() ?? throw new InvalidOperationException("no envelope on stdout");

    private static string[] Prev(JsonObject envelope) =>
        [.. envelope["route"]!["prev"]!.AsArray().Select(n => n!.GetValue<string>())];

    [Fact]
    public async Task Run_TextPipelineConfidentText_SucceedsThroughStore()
    {
        using var folder = new ExampleFolder("text-pipeline");

        var (code, stdout, stderr) = await AsyaProcess.RunAsync(Deadline, null, "run", folder.Path, "--payload", """{"text":"The  invoice total is 42 euros."}""", "--timeout", "60s");

        Assert.True(code == 0, stderr);
        var envelope = Envelope(stdout);
        Assert.Equal("succeeded", envelope["status"]!["phase"]!.GetValue<string>());
        Assert.Equal(["validate", "judge", "store"], Prev(envelope));
        Assert.Equal("accepted", envelope["payload"]!["decision"]!.GetValue<string>());
        Assert.Equal("The invoice total is 42 euros.", envelope["payload"]!["text"]!.GetValue<string>());
        Assert.Contains($"trace {envelope["id"]!.GetValue<string>()}:", stderr, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s+judge\s+\S+.*-> store", stderr);
    }

    [Fact]
    public async Task Run_TextPipelineDoubtfulText_TakesReviewBranch()
    {
        using var folder = new ExampleFolder("text-pipeline");

        var (code, stdout, stderr) = await AsyaProcess.RunAsync(Deadline, null, "run", folder.Path, "--payload", """{"text":"Maybe it is 42? I guess, not sure."}""");

        Assert.True(code == 0, stderr);
        var envelope = Envelope(stdout);
        Assert.Equal(["validate", "judge", "review"], Prev(envelope));
        Assert.Equal("needs-review", envelope["payload"]!["decision"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_TextPipelineEmptyText_FailsWithExit1()
    {
        using var folder = new ExampleFolder("text-pipeline");

        var (code, stdout, stderr) = await AsyaProcess.RunAsync(Deadline, null, "run", folder.Path, "--payload", """{"text":"   "}""");

        Assert.True(code == 1, stderr);
        var envelope = Envelope(stdout);
        Assert.Equal("failed", envelope["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("ValueError", envelope["status"]!["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_FanoutExample_EveryWordReachesSink()
    {
        using var folder = new ExampleFolder("fanout");

        var (code, stdout, stderr) = await AsyaProcess.RunAsync(Deadline, null, "run", folder.Path, "--payload", """{"text":"one two three"}""");

        Assert.True(code == 0, stderr);
        var envelope = Envelope(stdout);
        var id = envelope["id"]!.GetValue<string>();
        Assert.Equal("ONE!", envelope["payload"]!["shout"]!.GetValue<string>());
        var stored = await StoredEnvelopesAsync(folder, 3);
        Assert.Equal(["ONE!", "THREE!", "TWO!"], stored.Select(e => e["payload"]!["shout"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.All(stored.Where(e => e["id"]!.GetValue<string>() != id), e => Assert.Equal(id, e["parent_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Run_RetryExample_SucceedsOnSecondAttempt()
    {
        using var folder = new ExampleFolder("retry");

        var (code, stdout, stderr) = await AsyaProcess.RunAsync(Deadline, null, "run", folder.Path, "--payload", """{"order":7}""");

        Assert.True(code == 0, stderr);
        var envelope = Envelope(stdout);
        Assert.Equal(2, envelope["payload"]!["succeeded_on_attempt"]!.GetValue<int>());
        Assert.Equal(["flaky"], Prev(envelope));
    }

    [Fact]
    public async Task Run_RetryExampleAlwaysFailing_ExhaustsPolicyExit1()
    {
        using var folder = new ExampleFolder("retry");

        var (code, stdout, stderr) = await AsyaProcess.RunAsync(Deadline, null, "run", folder.Path, "--payload", """{"order":7,"fail_always":true}""");

        Assert.True(code == 1, stderr);
        var status = Envelope(stdout)["status"]!;
        Assert.Equal("failed", status["phase"]!.GetValue<string>());
        Assert.Equal(3, status["attempt"]!.GetValue<int>());
        Assert.Equal(3, status["max_attempts"]!.GetValue<int>());
        Assert.Equal("ConnectionError", status["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_AsyaPythonRuntimeSet_ThatFileRunsEveryActor()
    {
        using var folder = new ExampleFolder("text-pipeline");
        using var other = new TempDirectory();
        var markers = other.Combine("markers");
        Directory.CreateDirectory(markers);
        var wrapper = other.Combine("other_runtime.py");
        await File.WriteAllTextAsync(wrapper, $"""
            import os, runpy
            open(os.path.join({Py(markers)}, os.environ["ASYA_HANDLER"]), "w").close()
            runpy.run_path({Py(RepoPaths.Root + "/runtime/python/asya_runtime.py")}, run_name="__main__")
            """);
        var env = new Dictionary<string, string> { ["ASYA_PYTHON_RUNTIME"] = wrapper };

        var (code, stdout, stderr) = await AsyaProcess.RunAsync(Deadline, env, "run", folder.Path, "--payload", """{"text":"The invoice total is 42 euros."}""");

        Assert.True(code == 0, stderr);
        Assert.Equal(["judge.handle", "review.handle", "store.handle", "validate.handle"], Directory.EnumerateFiles(markers).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["validate", "judge", "store"], Prev(Envelope(stdout)));
    }

    [Fact]
    public async Task Run_FolderWithComponentManifests_UsesThemInsteadOfEmbeddedDefault()
    {
        using var folder = new ExampleFolder("text-pipeline");
        var database = folder.Combine("mesh.db");
        await File.WriteAllTextAsync(folder.Combine("components.yaml"), $$"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata: {name: mesh}
            spec:
              type: pubsub.sqlite
              version: v1
              metadata:
                - {name: connectionString, value: "{{database}}"}
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata: {name: results}
            spec:
              type: state.sqlite
              version: v1
              metadata:
                - {name: connectionString, value: "{{database}}"}
            """);

        var (code, stdout, stderr) = await AsyaProcess.RunAsync(Deadline, null, "run", folder.Path, "--payload", """{"text":"The invoice total is 42 euros."}""");

        Assert.True(code == 0, stderr);
        Assert.Equal(["validate", "judge", "store"], Prev(Envelope(stdout)));
        Assert.True(File.Exists(database));
        Assert.False(File.Exists(folder.Combine(".asya", "asya.db")), "the embedded default must not be used");
    }

    [Fact]
    public async Task Up_SendThenResult_ThenSigtermStopsCleanly()
    {
        using var folder = new ExampleFolder("text-pipeline");
        using var up = AsyaProcess.Start(null, "up", folder.Path, "--gateway-addr", "127.0.0.1:0");
        await up.WaitForStderrAsync(l => l.Contains("sidecars ready", StringComparison.Ordinal), Deadline);

        var (sendCode, sendOut, sendErr) = await AsyaProcess.RunAsync(Deadline, null, "send", folder.Path, "--payload", """{"text":"Plain facts only."}""");
        Assert.True(sendCode == 0, sendErr);
        var id = sendOut.Trim();
        Assert.True(Guid.TryParse(id, out _), sendOut);

        var result = await Eventually.GetAsync(
            async () =>
            {
                var (code, stdout, _) = await AsyaProcess.RunAsync(Deadline, null, "result", folder.Path, id);
                return code == 0 ? stdout : null;
            },
            Deadline,
            $"result of {id}");
        Assert.Equal(["validate", "judge", "store"], Prev(Envelope(result)));
        await up.WaitForStderrAsync(l => l.StartsWith("x-sink", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal), Deadline);

        Assert.True(Asya.Cli.Local.NativeSignals.Terminate(up.Id));
        Assert.Equal(0, await up.WaitForExitAsync(Deadline));
        Assert.Contains("asya: stopped", up.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Result_UnknownId_Exit3NotFoundYet()
    {
        using var folder = new ExampleFolder("text-pipeline");

        var (code, _, stderr) = await AsyaProcess.RunAsync(Deadline, null, "result", folder.Path, "no-such-id");

        Assert.Equal(3, code);
        Assert.Contains("no-such-id: not found yet", stderr, StringComparison.Ordinal);
    }

    private static string Py(string text) => "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    private static async Task<List<JsonObject>> StoredEnvelopesAsync(ExampleFolder folder, int expected)
    {
        var database = folder.Combine(".asya", "asya.db");
        return await Eventually.GetAsync(
            async () =>
            {
                await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT value FROM {Asya.Components.EmbeddedComponents.ResultsTable} WHERE key NOT LIKE 'sump/%'";
                var found = new List<JsonObject>();
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    found.Add(JsonNode.Parse(reader.GetString(0))!.AsObject());
                }

                return found.Count >= expected ? found : null;
            },
            TimeSpan.FromSeconds(30),
            $"{expected} envelopes in the result store");
    }
}
