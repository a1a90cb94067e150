using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Asya.Testing;
using Asya.Testing.Processes;
using Xunit.Abstractions;

namespace Asya.Faults.IntegrationTests.Harness;

/// <summary>
/// Tasks submitted through a real <c>asya-gateway</c> process to the fault mesh's actor (real sidecar processes on the
/// embedded SQLite transport), a fault injected under that load, then the gateway's view checked against the mesh's:
/// every task reaches a terminal status in the task store, and it is the status where its envelope ended (x-sink →
/// succeeded, x-sump → failed), so no report that decides a task was lost. A task failed by the deadline backstop
/// although its envelope succeeded is such a loss.
/// </summary>
internal sealed class GatewayScenario(ITestOutputHelper output)
{
    /// <summary>The task timeout: past it the backstop fails a task nobody reported finished.</summary>
    public static readonly TimeSpan TaskTimeout = TimeSpan.FromSeconds(60);

    private static readonly string[] Open = ["pending", "running", "paused"];

    /// <summary>The fault: runs while the load is processed; the mesh, the gateway and the task ids are given.</summary>
    public delegate Task Injector(FaultMesh mesh, GatewayProcess gateway, IReadOnlyList<string> ids, CancellationToken cancellationToken);

    /// <returns>The gateway's output, for checks particular to the scenario.</returns>
    public async Task<string> RunAsync(string scenario, int tasks, Injector inject, IReadOnlyList<string>? gatewayArgs = null)
    {
        ArgumentNullException.ThrowIfNull(inject);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = cancel.Token;
        var watch = Stopwatch.StartNew();
        await using var mesh = await FaultMesh.StartAsync(FaultTransport.Sqlite, new MeshOptions(), ct);
        await using var gateway = await GatewayProcess.StartAsync(
            [
                "--data-dir", mesh.DataDirectory, "--namespace", mesh.Namespace, "--backstop-interval", "1s",
                "--log-level", "warn", "--log-format", "text", .. gatewayArgs ?? [],
            ]);

        var ids = await SubmitAsync(gateway, tasks, ct);
        await inject(mesh, gateway, ids, ct);
        await mesh.WaitFinishedAsync(ids, ids.Count, TimeSpan.FromSeconds(120), ct);
        // A lost final report shows once the backstop fails the task at its deadline, so wait past it at most.
        await WaitNoneOpenAsync(gateway, TaskTimeout + TimeSpan.FromSeconds(30), ct);
        var seconds = watch.Elapsed.TotalSeconds;

        var stored = await ListAsync(gateway, ct);
        int succeeded = 0, failed = 0, timedOut = 0;
        var wrong = new List<string>();
        foreach (var id in ids)
        {
            var task = stored.GetValueOrDefault(id);
            var status = task?["status"]?.GetValue<string>();
            var error = task?["error"]?.ToJsonString() ?? "";
            succeeded += status == "succeeded" ? 1 : 0;
            failed += status == "failed" ? 1 : 0;
            timedOut += error.Contains("timed out", StringComparison.Ordinal) ? 1 : 0;
            var sink = await mesh.Client.SinkAsync(id, ct);
            var ended = sink is not null && Phase(sink) == "succeeded" ? "succeeded"
                : await mesh.Client.SumpAsync(id, ct) is not null ? "failed"
                : "nowhere";
            if (status != ended)
            {
                wrong.Add($"{id}: gateway {status ?? "missing"} {error}, envelope {ended}");
            }
        }

        var exitCodes = await mesh.StopAsync();
        var gatewayExit = await gateway.TerminateAsync(TimeSpan.FromSeconds(30));
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"fault-suite: {scenario} sqlite tasks={ids.Count} succeeded={succeeded} failed={failed} timed_out={timedOut} wrong_status={wrong.Count} kills={mesh.Kills.Count / 2} seconds={seconds:F1} seed={FaultSettings.Seed}");
        output.WriteLine(line);
        FaultReport.Append(line);

        Assert.True(wrong.Count == 0, $"{wrong.Count} tasks whose gateway status is not where their envelope ended, e.g. {string.Join("; ", wrong.Take(5))}; gateway output:\n{Tail(gateway.Output)}");
        Assert.True(exitCodes.Values.All(c => c == 0), $"sidecars did not stop cleanly on SIGTERM: {string.Join(", ", exitCodes.Select(c => $"{c.Key}={c.Value}"))}");
        Assert.Equal(0, gatewayExit);
        return gateway.Output;
    }

    /// <summary>Submits <paramref name="count"/> tasks for the actor, eight requests at a time; returns their ids in order.</summary>
    private static async Task<IReadOnlyList<string>> SubmitAsync(GatewayProcess gateway, int count, CancellationToken cancellationToken)
    {
        var ids = new string[count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var body = new JsonObject
                {
                    ["actor"] = FaultMesh.Actor,
                    ["payload"] = new JsonObject { ["id"] = $"gw-{i:D5}" },
                    ["timeout"] = TaskTimeout.TotalSeconds,
                };
                using var response = await gateway.Api.PostAsJsonAsync("/api/v1/mesh", body, ct);
                Assert.True(response.StatusCode == HttpStatusCode.Created, $"submit {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
                ids[i] = (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!["id"]!.GetValue<string>();
            });
        return ids;
    }

    private static async Task WaitNoneOpenAsync(GatewayProcess gateway, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var open = 0L;
        try
        {
            await Eventually.TrueAsync(
                async () =>
                {
                    open = 0;
                    foreach (var status in Open)
                    {
                        var page = await gateway.Api.GetFromJsonAsync<JsonObject>($"/api/v1/mesh?status={status}&limit=1", cancellationToken);
                        open += page!["total"]!.GetValue<long>();
                    }

                    return open == 0;
                },
                deadline,
                "every task of the gateway terminal");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}: {open} still pending, running or paused; gateway output:\n{Tail(gateway.Output)}", ex);
        }
    }

    /// <summary>Every task of the gateway by id (pages of 1,000, the API's largest).</summary>
    private static async Task<Dictionary<string, JsonObject>> ListAsync(GatewayProcess gateway, CancellationToken cancellationToken)
    {
        var tasks = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        for (var offset = 0; ; offset += 1000)
        {
            var page = await gateway.Api.GetFromJsonAsync<JsonObject>($"/api/v1/mesh?limit=1000&offset={offset}", cancellationToken);
            var items = page!["tasks"]!.AsArray();
            foreach (var item in items)
            {
                tasks[item!["id"]!.GetValue<string>()] = item.AsObject();
            }

            if (items.Count < 1000)
            {
                return tasks;
            }
        }
    }

    private static string? Phase(byte[] stored)
    {
        var status = JsonNode.Parse(stored)?["status"];
        return status?["phase"]?.GetValue<string>();
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(20));
}
