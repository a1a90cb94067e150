using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Asya.Hosting.Sse;

namespace Asya.Cli.Tests.EndToEnd;

/// <summary>
/// The gateway under <c>asya up</c>, end to end with the real processes: the streaming and human-review examples
/// through <c>asya call</c>, <c>asya run</c> and plain HTTP. FLY events are live only (never stored or replayed), so
/// the streaming tests put a gate actor in front of the example's <c>write</c>: it holds the envelope until the test's
/// client has its event stream open, and the test can then expect every token.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class GatewayEndToEndTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Call_StreamingExample_TokensInOrderBeforeTheResultExit0()
    {
        using var folder = GatedStreaming();
        await using var up = await UpWithGateway.StartAsync(folder.Path);
        var gate = folder.Combine("open");

        using var call = AsyaProcess.Start(null, "call", folder.Path, "ask", "--payload", Payload(gate));
        // The first status line is written once the event stream is open: then let the handler run.
        await call.WaitForStderrAsync(l => l.StartsWith("asya: ", StringComparison.Ordinal) && l.Contains("%)", StringComparison.Ordinal), Deadline);
        await File.WriteAllTextAsync(gate, "");
        var code = await call.WaitForExitAsync(Deadline);

        Assert.True(code == 0, call.Stderr);
        var answer = JsonNode.Parse(call.Stdout)!["answer"]!.GetValue<string>();
        Assert.Contains("one word at a time", answer, StringComparison.Ordinal);
        // The tokens, written inline one by one, read as the final answer, before the line saying it succeeded.
        var tokens = call.Stderr.IndexOf(answer, StringComparison.Ordinal);
        var succeeded = call.Stderr.IndexOf(" succeeded ", StringComparison.Ordinal);
        Assert.True(tokens >= 0 && succeeded > tokens, call.Stderr);
    }

    [Fact]
    public async Task Sse_StreamingExample_FlyTokensInOrderThenTerminalStatusWithResult()
    {
        using var folder = GatedStreaming();
        await using var up = await UpWithGateway.StartAsync(folder.Path);
        using var http = new HttpClient { Timeout = Deadline };
        var gate = folder.Combine("open");
        var id = await SubmitAsync(http, up.ApiUrl, "ask", JsonNode.Parse(Payload(gate))!);

        var events = await ReadEventsAsync(http, up.ApiUrl, id, onFirst: () => File.WriteAllText(gate, ""));

        Assert.Equal("status", events[0].Event);
        var last = events[^1];
        Assert.Equal("status", last.Event);
        var final = JsonNode.Parse(last.Data)!;
        Assert.Equal("succeeded", final["status"]!.GetValue<string>());
        var fly = events.Where(e => e.Event == "fly").Select(e => JsonNode.Parse(e.Data)!).ToList();
        Assert.Equal(final["result"]!["tokens"]!.GetValue<int>(), fly.Count);
        Assert.All(fly, f => Assert.True(f["partial"]!.GetValue<bool>()));
        Assert.Equal(final["result"]!["answer"]!.GetValue<string>(), string.Concat(fly.Select(f => f["text"]!.GetValue<string>())));
    }

    [Fact]
    public async Task Run_StreamingExample_FlyTextOnStderrExit0()
    {
        using var folder = GatedStreaming();
        var gate = folder.Combine("open");

        using var run = AsyaProcess.Start(null, "run", folder.Path, "--payload", Payload(gate));
        // "sent <id>" comes once run's event stream is open.
        await run.WaitForStderrAsync(l => l.StartsWith("asya: sent ", StringComparison.Ordinal), Deadline);
        await File.WriteAllTextAsync(gate, "");
        var code = await run.WaitForExitAsync(Deadline);

        Assert.True(code == 0, run.Stderr);
        var answer = JsonNode.Parse(run.Stdout)!["payload"]!["answer"]!.GetValue<string>();
        Assert.Contains(answer, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HumanReview_PostPausesWithPromptResumeSucceedsWithFieldsMergedSecondResume409()
    {
        using var folder = new ExampleFolder("human-review");
        await using var up = await UpWithGateway.StartAsync(folder.Path);
        using var http = new HttpClient { Timeout = Deadline };
        var id = await SubmitAsync(http, up.ApiUrl, "review", JsonNode.Parse("""{"customer":"Ana","question":"Can I get a refund?"}""")!);
        var task = $"{up.ApiUrl}/api/v1/mesh/{id}";

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{task}/events");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        await using var events = SseReader.ReadAsync(stream, CancellationToken.None).GetAsyncEnumerator();
        var paused = await NextStatusAsync(events, "paused");
        Assert.Equal("Approve this reply to the customer?", paused["pause_metadata"]!["prompt"]!.GetValue<string>());
        var stored = JsonNode.Parse(await http.GetStringAsync(task))!;
        Assert.Equal("paused", stored["status"]!.GetValue<string>());
        Assert.Equal("Approve this reply to the customer?", stored["pause_metadata"]!["prompt"]!.GetValue<string>());

        using var resume = await http.PostAsJsonAsync($"{task}/resume", JsonNode.Parse("""{"payload":{"approved":true,"reviewer":"ana","notes":"fine"}}"""));
        Assert.Equal(HttpStatusCode.Accepted, resume.StatusCode);
        var done = await NextStatusAsync(events, "succeeded");
        var result = done["result"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"approved":true,"reviewer":"ana","notes":"fine"}"""), result["review"]), result.ToJsonString());
        Assert.Equal("published", result["decision"]!.GetValue<string>());
        Assert.StartsWith("Dear Ana", result["draft"]!.GetValue<string>(), StringComparison.Ordinal);

        using var again = await http.PostAsJsonAsync($"{task}/resume", JsonNode.Parse("""{"payload":{"approved":false}}"""));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("succeeded", JsonNode.Parse(await http.GetStringAsync(task))!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Up_NoGateway_StartsNoneAndCallSaysSoExit2()
    {
        using var folder = new ExampleFolder("streaming");
        using var up = AsyaProcess.Start(null, "up", folder.Path, "--no-gateway");
        try
        {
            await up.WaitForStderrAsync(l => l.Contains("sidecars ready", StringComparison.Ordinal), Deadline);

            var (code, _, stderr) = await AsyaProcess.RunAsync(Deadline, null, "call", folder.Path, "ask", "--payload", "{}");

            Assert.Equal(2, code);
            Assert.Contains("with a gateway is running", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("gateway", up.Stderr.Split('\n').First(l => l.Contains("starting", StringComparison.Ordinal)), StringComparison.Ordinal);
            Assert.DoesNotContain("asya: gateway http", up.Stderr, StringComparison.Ordinal);
            Assert.False(File.Exists(folder.Combine(".asya", "gateway.json")));
        }
        finally
        {
            Assert.True(Asya.Cli.Local.NativeSignals.Terminate(up.Id));
            Assert.Equal(0, await up.WaitForExitAsync(Deadline));
        }
    }

    /// <summary>The streaming example with a gate actor in front of <c>write</c> (flow <c>ask</c>: gate → write).</summary>
    private static ExampleFolder GatedStreaming()
    {
        var folder = new ExampleFolder("streaming");
        File.WriteAllText(folder.Combine("gate.py"), """
            import os
            import time


            def handle(payload):
                gate = payload.pop("gate")
                deadline = time.monotonic() + 120
                while not os.path.exists(gate) and time.monotonic() < deadline:
                    time.sleep(0.01)
                return payload
            """);
        File.WriteAllText(folder.Combine("flows.yaml"), """
            flows:
            - name: ask
              entrypoint: gate
              route_next: [write]
            """);
        return folder;
    }

    private static string Payload(string gate) =>
        new JsonObject { ["prompt"] = "What is an actor mesh?", ["delay_ms"] = 0, ["gate"] = gate }.ToJsonString();

    private static async Task<string> SubmitAsync(HttpClient http, string apiUrl, string flow, JsonNode payload)
    {
        using var content = new StringContent(new JsonObject { ["flow"] = flow, ["payload"] = payload }.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri($"{apiUrl}/api/v1/mesh"), content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    /// <summary>Every event of the task's stream until the gateway closes it (the task finished).</summary>
    private static async Task<List<ServerSentEvent>> ReadEventsAsync(HttpClient http, string apiUrl, string id, Action onFirst)
    {
        using var cts = new CancellationTokenSource(Deadline);
        using var response = await http.GetAsync(new Uri($"{apiUrl}/api/v1/mesh/{id}/events"), HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync(cts.Token);
        var events = new List<ServerSentEvent>();
        await foreach (var item in SseReader.ReadAsync(stream, cts.Token))
        {
            events.Add(item);
            if (events.Count == 1)
            {
                onFirst();
            }
        }

        return events;
    }

    private static async Task<JsonNode> NextStatusAsync(IAsyncEnumerator<ServerSentEvent> events, string status)
    {
        using var cts = new CancellationTokenSource(Deadline);
        while (await events.MoveNextAsync().AsTask().WaitAsync(cts.Token))
        {
            if (events.Current.Event == "status" && JsonNode.Parse(events.Current.Data) is { } body && body["status"]!.GetValue<string>() == status)
            {
                return body;
            }
        }

        throw new InvalidOperationException($"the event stream ended before status {status}");
    }
}
