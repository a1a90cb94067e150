using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Asya.Components.Aws.IntegrationTests;

/// <summary>An HTTP endpoint that answers every SQS call the way SQS answers unknown access keys.</summary>
internal sealed class RejectingEndpoint : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public RejectingEndpoint()
    {
        Url = $"http://127.0.0.1:{FreePort()}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public void Dispose()
    {
        _listener.Close();
        _ = _serving;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        var body = Encoding.UTF8.GetBytes("""{"__type":"com.amazon.coral.service#InvalidClientTokenId","message":"The security token included in the request is invalid."}""");
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            context.Response.StatusCode = 403;
            context.Response.ContentType = "application/x-amz-json-1.0";
            context.Response.Headers["x-amzn-query-error"] = "InvalidClientTokenId;Sender";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }
}
