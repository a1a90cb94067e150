using System.Diagnostics;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Runtime;
using Asya.Sidecar.Tests.Fakes;
using Asya.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Asya.Sidecar.Tests.Integration;

/// <summary>
/// A runtime double shaped like upstream's (Python <c>http.server</c>, one connection per request, every reply with
/// <c>Connection: close</c>): every call must complete on the first try, none may look like a broken runtime.
/// </summary>
public sealed class ClosePerResponseRuntimeTests
{
    private const string Server = """
import http.server, json, os, socket, sys

class Handler(http.server.BaseHTTPRequestHandler):
    # "HTTP/1.0" is http.server's default, which upstream's runtime keeps; "HTTP/1.1" with Connection: close also occurs.
    protocol_version = sys.argv[2]

    def log_message(self, *args):
        pass

    def _reply(self, code, body, content_type="application/json"):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if self.protocol_version == "HTTP/1.1":
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def do_GET(self):
        self._reply(200, b'{"status":"ready"}')

    def do_POST(self):
        env = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        route = env["route"]
        frame = {"payload": env["payload"], "route": {"prev": route["prev"] + [route["curr"]], "curr": "", "next": []}}
        self._reply(200, json.dumps({"frames": [frame]}).encode())

class Server(http.server.HTTPServer):
    address_family = socket.AF_UNIX

    def server_bind(self):
        self.socket.bind(self.server_address)
        self.server_name, self.server_port = "runtime", 0

path = sys.argv[1]
server = Server(path, Handler)
open(path + ".ready", "w").close()
server.serve_forever()
""";

    [Theory]
    [InlineData("HTTP/1.0")]
    [InlineData("HTTP/1.1")]
    public async Task ConnectionClose_EveryCallCompletesWithoutRetry(string protocol)
    {
        using var dir = new TempDirectory();
        var script = dir.Combine("close_runtime.py");
        await File.WriteAllTextAsync(script, Server);
        var socket = dir.Combine("rt.sock");
        var info = new ProcessStartInfo(RepoPaths.Python) { UseShellExecute = false };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(socket);
        info.ArgumentList.Add(protocol);
        using var process = Process.Start(info)!;
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(File.Exists(socket + ".ready")), TimeSpan.FromSeconds(20), "the runtime double to listen");
            using var client = new UnixSocketRuntimeClient(socket, 4, NullLogger<UnixSocketRuntimeClient>.Instance, handlerConcurrency: 1);
            var body = Envelopes.Create("c1", ["a"]).ToUtf8Bytes();
            for (var i = 0; i < 50; i++)
            {
                Assert.True(await client.IsHealthyAsync(CancellationToken.None), $"health probe {i}");
                var frames = 0;
                var result = await client.InvokeAsync(body, (_, _, _) => { frames++; return ValueTask.CompletedTask; }, TimeSpan.FromSeconds(20), CancellationToken.None);
                Assert.True(result.Status == RuntimeCallStatus.Completed, $"call {i}: {result.Status} {result.Exception}");
                Assert.Equal(1, frames);
            }
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }
}
