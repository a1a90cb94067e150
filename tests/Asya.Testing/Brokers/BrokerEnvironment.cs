namespace Asya.Testing.Brokers;

/// <summary>
/// Where a test broker is: an <c>ASYA_TEST_*</c> variable as printed by <c>deploy/local/services up NAME</c>.
/// Unset, the broker's tests are skipped on a developer box and fail under <c>CI=true</c>, where skipping would
/// hide a broken broker.
/// </summary>
/// <param name="variable">The environment variable, e.g. <c>ASYA_TEST_RABBITMQ</c>.</param>
/// <param name="service">The name <c>deploy/local/services</c> knows the broker by, e.g. <c>rabbitmq</c>.</param>
public sealed class BrokerEnvironment(string variable, string service)
{
    /// <summary>The ports <c>deploy/local/services</c> uses when no ASYA_*_PORT moves them.</summary>
    private static readonly Dictionary<string, int> DefaultPorts = new(StringComparer.Ordinal)
    {
        ["redis"] = 6379, ["rabbitmq"] = 5672, ["pubsub"] = 8085, ["sqs"] = 9324, ["nats"] = 4222, ["s3"] = 4569,
    };

    public string Variable { get; } = variable;

    public string Service { get; } = service;

    public string? Endpoint { get; } = Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value.Trim() : null;

    public static bool IsCi { get; } = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why every test of the assembly is skipped, or <c>null</c> when they run (broker configured, or CI).</summary>
    public string? SkipReason =>
        Endpoint is null && !IsCi
            ? $"{Variable} is not set; start the broker with `deploy/local/services up {Service}` and export the variable it prints"
            : null;

    /// <summary>The endpoint; under CI without one, a failure that says what to do.</summary>
    public string RequireEndpoint() =>
        Endpoint ?? throw new InvalidOperationException(
            $"{Variable} is not set but CI=true: broker tests must not be skipped in CI. " +
            $"Run `deploy/local/services up {Service}` and export the {Variable} it prints.");

    /// <summary>
    /// Restarts the broker through <c>deploy/local/services restart</c> (data kept) and returns once it is ready again.
    /// Test suites run one after another, so no other suite sees the restart.
    /// </summary>
    public Task RestartAsync(CancellationToken cancellationToken = default) => RunServicesAsync("restart", cancellationToken);

    /// <summary>Stops the broker (for tests of an unreachable broker); <see cref="StartAsync"/> brings it back.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => RunServicesAsync("down", cancellationToken);

    /// <summary>Starts the broker again and waits until it is ready.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => RunServicesAsync("up", cancellationToken);

    /// <summary>The port of <see cref="Endpoint"/> (<c>host:port</c> or a URL), or <c>null</c> when it has none.</summary>
    public int? Port
    {
        get
        {
            if (Endpoint is null)
            {
                return null;
            }

            if (Endpoint.Contains("://", StringComparison.Ordinal))
            {
                return Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) && uri.Port > 0 ? uri.Port : null;
            }

            return int.TryParse(Endpoint[(Endpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var port) ? port : null;
        }
    }

    private Task RunServicesAsync(string command, CancellationToken cancellationToken)
    {
        // The instance restarted is the one under test: its port from the ASYA_TEST_* endpoint, its state folder from
        // ASYA_SERVICES_DIR. A moved port without its own folder would stop the default instance's processes (the
        // script finds them by the pid files in the folder), so that is refused.
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Port is { } port)
        {
            var portVariable = $"ASYA_{Service.ToUpperInvariant()}_PORT";
            var configured = Environment.GetEnvironmentVariable(portVariable);
            if (configured is { Length: > 0 } && configured != port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException($"{Variable} names port {port} but {portVariable} is {configured}: they must name the same instance");
            }

            if (Environment.GetEnvironmentVariable("ASYA_SERVICES_DIR") is not { Length: > 0 } && DefaultPorts.TryGetValue(Service, out var standard) && standard != port)
            {
                throw new InvalidOperationException(
                    $"{Variable} names port {port}, not {Service}'s default {standard}, but ASYA_SERVICES_DIR is not set: " +
                    $"`services {command}` would act on the default instance; set ASYA_SERVICES_DIR to the private instance's folder");
            }

            environment[portVariable] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return ServicesScript.RunAsync(command, Service, environment, cancellationToken);
    }
}
