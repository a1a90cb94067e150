using System.Text.Json;
using Asya.Gateway.Observability;
using Asya.Gateway.Tasks;
using Microsoft.AspNetCore.Http;

namespace Asya.Gateway.Api;

/// <summary>
/// The body of <c>POST /api/v1/mesh/{id}/events</c>: one report object, or a batch, a JSON array of report objects in
/// the order they were made. Every report is checked before any is applied, so a bad one (400, naming its index)
/// applies nothing.
/// </summary>
internal static class MeshReportBody
{
    public static (List<TaskReport>? Reports, IResult? Error) Read(JsonElement root, GatewayMetrics metrics, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(time);
        if (root.ValueKind == JsonValueKind.Object)
        {
            var (report, error) = ReadOne(root, "body", metrics, time);
            return error is null ? ([report!], null) : (null, error);
        }

        if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() == 0)
        {
            return (null, JsonBody.Error(StatusCodes.Status400BadRequest, "body: must be a JSON object {type, status|data, actor, route, ...} or a non-empty array of them"));
        }

        var reports = new List<TaskReport>(root.GetArrayLength());
        var index = 0;
        foreach (var element in root.EnumerateArray())
        {
            var (report, error) = ReadOne(element, $"[{index++}]", metrics, time);
            if (error is not null)
            {
                return (null, error);
            }

            reports.Add(report!);
        }

        return (reports, null);
    }

    private static (TaskReport? Report, IResult? Error) ReadOne(JsonElement element, string where, GatewayMetrics metrics, TimeProvider time)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return (null, Bad($"{where}: must be a JSON object {{type, status|data, actor, route, ...}}"));
        }

        TaskReport? report;
        try
        {
            report = element.Deserialize<TaskReport>(TaskJson.Options);
        }
        catch (JsonException ex)
        {
            return (null, Bad($"{(where == "body" ? ex.Path ?? where : where + (ex.Path ?? "").TrimStart('$'))}: {ex.Message}"));
        }

        // Optional report time, stamped by the sidecar when the event happened: the lag metric measures the way here.
        if (element.TryGetProperty("time", out var stamp) && stamp.ValueKind == JsonValueKind.String && stamp.TryGetDateTimeOffset(out var at))
        {
            metrics.ReportLag(time.GetUtcNow() - at);
        }

        if (report is null)
        {
            return (null, Bad($"{where}: must be a JSON object"));
        }

        if (report.Type == TaskReportType.Fly)
        {
            return (report, null);
        }

        if (report.Status is null)
        {
            return (null, Bad($"{Prefix(where)}status: required for type status (running with a phase, received, processing, completed, paused, succeeded, failed, canceled)"));
        }

        return report.Normalized() is { } normalized
            ? (normalized, null)
            : (null, Bad($"{Prefix(where)}phase: must be received, processing or completed with status running"));
    }

    private static string Prefix(string where) => where == "body" ? "" : where + ".";

    private static IResult Bad(string message) => JsonBody.Error(StatusCodes.Status400BadRequest, message);
}
