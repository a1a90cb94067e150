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

    private Task RunServicesAsync(string command, CancellationToken cancellationToken) =>
        ServicesScript.RunAsync(command, Service, null, cancellationToken);
}
