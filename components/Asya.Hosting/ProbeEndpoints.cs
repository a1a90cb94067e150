using Asya.Components.Observability;
using Asya.Hosting.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Asya.Hosting;

/// <summary>The HTTP endpoints every Asya process serves: <c>/metrics</c> (Prometheus text), <c>/healthz</c>, <c>/readyz</c>.</summary>
public static class ProbeEndpoints
{
    public const string PrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Maps the three endpoints; <c>/readyz</c> answers 503 while <paramref name="ready"/> is false.</summary>
    public static void MapAsyaProbes(this IEndpointRouteBuilder endpoints, PrometheusExposition exposition, Func<bool> ready) =>
        endpoints.MapAsyaProbes(exposition, ready, () => []);

    /// <summary>
    /// Maps the three endpoints; <c>/readyz</c> answers 503 while <paramref name="ready"/> is false or one of
    /// <paramref name="loops"/> is stale, with a body naming each stale loop and how long ago it last beat.
    /// </summary>
    public static void MapAsyaProbes(this IEndpointRouteBuilder endpoints, PrometheusExposition exposition, Func<bool> ready, Func<IEnumerable<LoopHeartbeat>> loops)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(exposition);
        ArgumentNullException.ThrowIfNull(ready);
        ArgumentNullException.ThrowIfNull(loops);
        endpoints.MapGet("/metrics", () => Results.Text(exposition.Render(), PrometheusContentType));
        endpoints.MapGet("/healthz", () => Results.Text("ok"));
        endpoints.MapGet("/readyz", () => Readiness(ready, loops));
    }

    private static IResult Readiness(Func<bool> ready, Func<IEnumerable<LoopHeartbeat>> loops)
    {
        if (!ready())
        {
            return Results.Text("not ready", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return LoopHeartbeats.Problem(loops()) is { } stuck
            ? Results.Text($"not ready: {stuck}", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("ready");
    }
}
