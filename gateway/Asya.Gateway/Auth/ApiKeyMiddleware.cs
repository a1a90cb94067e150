using System.Security.Cryptography;
using System.Text;
using Asya.Gateway.Api;
using Asya.Gateway.Hosting;
using Asya.Gateway.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Asya.Gateway.Auth;

/// <summary>
/// With an API key set, every api-port request but the probes and the agent card must carry it as
/// <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-API-Key: &lt;key&gt;</c>; else 401. The mesh port never asks.
/// Keys are compared through their SHA-256 in constant time, so neither content nor length leaks through timing, and
/// neither the expected nor the given key is ever logged.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, string apiKey, ILogger<ApiKeyMiddleware> logger)
{
    private static readonly string[] OpenPaths = ["/healthz", "/readyz", "/metrics", "/.well-known/agent-card.json", "/.well-known/agent.json"];

    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Listeners.Of(context) == Listener.Mesh || OpenPaths.Contains(context.Request.Path.Value, StringComparer.Ordinal) || Matches(Given(context.Request)))
        {
            return next(context);
        }

        logger.Unauthorized(context.Connection.RemoteIpAddress?.ToString() ?? "?");
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return context.Response.WriteAsJsonAsync(new ErrorBody("missing or wrong API key: send Authorization: Bearer <key> or X-API-Key: <key>"), GatewayJson.Options);
    }

    private static string? Given(HttpRequest request)
    {
        if (request.Headers["X-API-Key"] is { Count: > 0 } key)
        {
            return key[0];
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
    }

    private bool Matches(string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), _expected);
}
