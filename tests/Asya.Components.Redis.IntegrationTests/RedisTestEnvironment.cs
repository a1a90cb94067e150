namespace Asya.Components.Redis.IntegrationTests;

/// <summary>
/// Where the test Redis is: <c>ASYA_TEST_REDIS</c> (host:port), as printed by <c>deploy/local/services up redis</c>.
/// Unset, the tests are skipped on a developer box and fail under <c>CI=true</c>.
/// </summary>
internal static class RedisTestEnvironment
{
    public const string Variable = "ASYA_TEST_REDIS";

    public static string? Endpoint { get; } = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value.Trim() : null;

    public static bool IsCi { get; } = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why every test of this assembly is skipped, or <c>null</c> when they run (Redis configured, or CI).</summary>
    public static string? SkipReason =>
        Endpoint is null && !IsCi
            ? $"{Variable} is not set; start Redis with `deploy/local/services up redis` and export the variable it prints"
            : null;

    /// <summary>The endpoint; under CI without one, a failure that says what to do.</summary>
    public static string RequireEndpoint() =>
        Endpoint ?? throw new InvalidOperationException(
            $"{Variable} is not set but CI=true: the Redis tests must not be skipped in CI. " +
            "Run `deploy/local/services up redis` and export the ASYA_TEST_REDIS=host:port it prints.");
}
