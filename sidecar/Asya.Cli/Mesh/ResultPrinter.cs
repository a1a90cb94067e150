using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Cli.Local;
using Asya.Runtime.Protocol;

namespace Asya.Cli.Mesh;

/// <summary>Writes a finished envelope (indented JSON) and the per-hop trace of its id.</summary>
internal static class ResultPrinter
{
    // Built per call: the depth limit is configured once the CLI has read its environment.
    private static JsonSerializerOptions Indented => new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = ProtocolJson.MaxDepth + 1,
    };

    public static string Indent(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: ProtocolJson.DocumentOptions)?.ToJsonString(Indented) ?? "null";
        }
        catch (JsonException)
        {
            return System.Text.Encoding.UTF8.GetString(json);
        }
    }

    /// <summary><c>status.phase</c> of a stored envelope, or <c>null</c>.</summary>
    public static string? Phase(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: ProtocolJson.DocumentOptions)?["status"]?["phase"]?.GetValue<string>();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    public static void WriteTrace(TextWriter writer, string id, IEnumerable<HopEvent> hops)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var mine = hops.Where(h => h.EnvelopeId == id).ToList();
        writer.WriteLine($"trace {id}:");
        if (mine.Count == 0)
        {
            writer.WriteLine("  (no hop events seen)");
            return;
        }

        var width = Math.Max(mine.Max(h => h.Actor.Length), 6);
        var outcomeWidth = Math.Max(mine.Max(h => h.Outcome.Length), 7);
        foreach (var hop in mine)
        {
            var destination = hop.Destination.Length == 0 ? "" : $" -> {hop.Destination}";
            writer.WriteLine(System.FormattableString.Invariant($"  {hop.Actor.PadRight(width)}  {hop.Outcome.PadRight(outcomeWidth)} {hop.DurationMs,8:0.0} ms{destination}"));
        }
    }
}
