namespace Asya.Cli.Local;

/// <summary>
/// One child process of <c>asya up</c>: an actor's sidecar (which starts its runtime), a crew sidecar, or the gateway.
/// </summary>
/// <param name="Actor">Actor name; also the prefix of its log lines.</param>
/// <param name="Arguments">Arguments after the self command, starting with <c>sidecar</c>.</param>
/// <param name="Environment">Variables added to (or replacing) the inherited environment.</param>
/// <param name="MetricsPort">Loopback port of <c>/readyz</c> and <c>/metrics</c> (the gateway: its api port).</param>
/// <param name="SocketDir">Folder of the runtime socket.</param>
internal sealed record SidecarLaunch(
    string Actor,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    int MetricsPort,
    string SocketDir)
{
    /// <summary>A crew sidecar (<c>--builtin</c>, no runtime): stopped after the actors, so envelopes in flight reach it.</summary>
    public bool IsCrew { get; init; }

    /// <summary>
    /// The gateway (<c>asya gateway</c>): its log lines are not sidecar events, and it stops after the crew, so the crew's
    /// last reports reach it.
    /// </summary>
    public bool IsGateway { get; init; }

    /// <summary>
    /// The same launch on another metrics port (after the first was taken by someone else). The gateway keeps its ports:
    /// clients were told its api address and envelopes in flight carry its mesh address.
    /// </summary>
    public SidecarLaunch WithPort(int port)
    {
        if (IsGateway)
        {
            return this;
        }

        var args = Arguments.ToList();
        var at = args.IndexOf("--metrics-addr");
        if (at >= 0 && at + 1 < args.Count)
        {
            args[at + 1] = $"127.0.0.1:{port}";
        }

        return this with { Arguments = args, MetricsPort = port };
    }
}
