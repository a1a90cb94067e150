using Asya.Components.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Asya.Hosting;

/// <summary>The HTTP endpoints every Asya process serves: <c>/metrics</c> (Prometheus text), <c>/healthz</c>, <c>/readyz</c>.</summary>
public static class ProbeEndpoints
{
    public const string PrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Maps the three endpoints; <c>/readyz</c> answers 503 while <paramref name="ready"/> is false.</summary>
    public static void MapAsyaProbes(this IEndpointRouteBuilder endpoints, PrometheusExposition exposition, Func<bool> ready)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(exposition);
        ArgumentNullException.ThrowIfNull(ready);
        endpoints.MapGet("/metrics", () => Results.Text(exposition.Render(), PrometheusContentType));
        endpoints.MapGet("/healthz", () => Results.Text("ok"));
        endpoints.MapGet("/readyz", () => ready()
            ? Results.Text("ready")
            : Results.Text("not ready", statusCode: StatusCodes.Status503ServiceUnavailable));
    }
}
