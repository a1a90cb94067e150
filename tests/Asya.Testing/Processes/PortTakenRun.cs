using System.Net;
using System.Net.Sockets;

namespace Asya.Testing.Processes;

/// <summary>
/// Runs a host's entry point with one listener flag on a port another socket holds and its other listeners on port 0:
/// what every Asya process must answer with one line naming the flag, and exit 2.
/// </summary>
public static class PortTakenRun
{
    /// <param name="taken">The listener flag (without dashes) whose port is taken.</param>
    /// <param name="listeners">Every listener flag of the host.</param>
    /// <param name="otherArgs">The rest of the command line.</param>
    /// <param name="run">The entry point: arguments and the writer for errors → exit code.</param>
    /// <returns>The exit code, what was written as errors, and the taken <c>host:port</c>.</returns>
    public static async Task<(int Code, string Errors, string Address)> RunAsync(
        string taken, IReadOnlyList<string> listeners, IReadOnlyList<string> otherArgs, Func<string[], TextWriter, Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(listeners);
        ArgumentNullException.ThrowIfNull(run);
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var address = $"127.0.0.1:{((IPEndPoint)holder.LocalEndpoint).Port}";
        string[] args = [.. listeners.SelectMany(l => new[] { "--" + l, l == taken ? address : "127.0.0.1:0" }), .. otherArgs];
        using var errors = new StringWriter();
        var code = await run(args, errors);
        return (code, errors.ToString(), address);
    }
}
