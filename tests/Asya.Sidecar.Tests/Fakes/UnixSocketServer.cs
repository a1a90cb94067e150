using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Asya.Sidecar.Tests.Fakes;

/// <summary>An in-process HTTP server on a Unix socket standing in for the runtime.</summary>
internal sealed class UnixSocketServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private UnixSocketServer(WebApplication app) => _app = app;

    public static async Task<UnixSocketServer> StartAsync(string socketPath, RequestDelegate invoke)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(socketPath));
        var app = builder.Build();
        app.MapPost("/invoke", invoke);
        app.MapGet("/healthz", () => Results.Json(new { status = "ready" }));
        await app.StartAsync();
        return new UnixSocketServer(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
