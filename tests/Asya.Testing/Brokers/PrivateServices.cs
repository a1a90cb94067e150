namespace Asya.Testing.Brokers;

/// <summary>
/// A broker of a test suite's own, started, stopped and restarted through <c>deploy/local/services</c> with its own
/// state folder and ports, so outage tests never touch the shared instances other suites (and engineers) use.
/// </summary>
/// <param name="stateDirectory">ASYA_SERVICES_DIR of this instance, e.g. <c>/tmp/asya-svc-faults</c>.</param>
/// <param name="variables">Port (and node name) variables, e.g. <c>ASYA_REDIS_PORT=6393</c>.</param>
public sealed class PrivateServices(string stateDirectory, IReadOnlyDictionary<string, string> variables)
{
    private readonly Dictionary<string, string> _environment = new(variables) { ["ASYA_SERVICES_DIR"] = stateDirectory };

    public Task UpAsync(string service, CancellationToken cancellationToken = default) =>
        ServicesScript.RunAsync("up", service, _environment, cancellationToken);

    public Task DownAsync(string service, CancellationToken cancellationToken = default) =>
        ServicesScript.RunAsync("down", service, _environment, cancellationToken);

    /// <summary>Stop, then start keeping the data (Redis AOF, RabbitMQ durable queues); returns once it is ready again.</summary>
    public Task RestartAsync(string service, CancellationToken cancellationToken = default) =>
        ServicesScript.RunAsync("restart", service, _environment, cancellationToken);
}
