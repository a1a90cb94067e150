using System.Globalization;
using Asya.Testing.Brokers;

namespace Asya.ExternalScaler.IntegrationTests;

/// <summary>
/// A Redis of our own (port 6391, state under /tmp/asya-svc-scaler), started and stopped through
/// <c>deploy/local/services</c>, so broker-down tests never touch the shared Redis other suites use.
/// </summary>
internal static class PrivateRedis
{
    public const int Port = 6391;

    private static readonly PrivateServices Services = new(
        "/tmp/asya-svc-scaler", new Dictionary<string, string> { ["ASYA_REDIS_PORT"] = Port.ToString(CultureInfo.InvariantCulture) });

    public static string Host => $"127.0.0.1:{Port}";

    public static Task UpAsync() => Services.UpAsync("redis");

    public static Task DownAsync() => Services.DownAsync("redis");
}
