using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Gateway.Api;
using Asya.Gateway.Tasks;
using Asya.Hosting.Sse;

namespace Asya.Cli.Gateway;

/// <summary>
/// Writes a task's events to the terminal as they come: FLY text inline, word by word, the way an LLM streams it (a FLY
/// object with a <c>text</c> field, upstream's <c>{"partial": true, "text": token}</c>; any other FLY object as one
/// <c>fly:</c> line), and with <paramref name="showStatus"/> one line per status or progress change. Returns the
/// terminal event, which carries the result or error.
/// </summary>
internal sealed class TaskEventPrinter(TextWriter output, bool showStatus, TasksApiClient api)
{
    private readonly Lock _gate = new();
    private bool _midLine;

    /// <summary>The event's body once the task is finished (succeeded, failed, canceled), else null.</summary>
    public TaskEventBody? Write(ServerSentEvent item)
    {
        switch (item.Event)
        {
            case "fly":
                WriteFly(item.Data);
                return null;
            case "status" or "progress":
                var body = JsonSerializer.Deserialize<TaskEventBody>(item.Data, GatewayJson.Options)
                    ?? throw new JsonException($"empty {item.Event} event");
                if (showStatus)
                {
                    WriteStatus(body);
                }

                return TaskRules.IsTerminal(body.Status) ? body : null;
            default:
                return null;
        }
    }

    /// <summary>Ends a line of FLY text, so what follows starts on a line of its own.</summary>
    public void EndText()
    {
        lock (_gate)
        {
            if (_midLine)
            {
                output.WriteLine();
                _midLine = false;
            }
        }
    }

    private void WriteFly(string data)
    {
        JsonNode? fly;
        try
        {
            fly = JsonNode.Parse(data);
        }
        catch (JsonException)
        {
            fly = JsonValue.Create(data);
        }

        lock (_gate)
        {
            if (fly is JsonObject obj && obj["text"] is JsonValue text && text.TryGetValue<string>(out var token))
            {
                output.Write(token);
                output.Flush();
                _midLine = !token.EndsWith('\n');
                return;
            }
        }

        EndText();
        Line($"fly: {fly?.ToJsonString(GatewayJson.Options) ?? "null"}");
    }

    private void WriteStatus(TaskEventBody body)
    {
        EndText();
        var at = body.Actor is { Length: > 0 } actor ? $" at {actor}" : "";
        var message = body.Message is { Length: > 0 } m ? $": {m}" : "";
        Line(string.Create(CultureInfo.InvariantCulture, $"asya: {body.Id} {body.Status.ToWire()}{at} ({body.Progress:0}%){message}"));
        if (body.Status == TaskState.Paused)
        {
            var prompt = body.PauseMetadata?["prompt"]?.ToString() ?? "paused";
            Line($"asya: {body.Id} waits for input: {prompt}");
            if (body.PauseMetadata?["fields"] is JsonArray { Count: > 0 } fields)
            {
                Line($"asya:   fields: {fields.ToJsonString(GatewayJson.Options)}");
            }

            Line($"asya:   resume: curl -X POST {api.TaskUrl(body.Id)}/resume -H 'Content-Type: application/json' -d '{{\"payload\": {{...}}}}'");
        }
        else if (body.Status == TaskState.Failed && body.Error is { } error)
        {
            Line($"asya: {body.Id} error: {error.ToJsonString(GatewayJson.Options)}");
        }
    }

    private void Line(string text)
    {
        lock (_gate)
        {
            output.WriteLine(text);
            output.Flush();
        }
    }
}
