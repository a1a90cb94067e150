using System.Globalization;
using Asya.Testing.Brokers;

namespace Asya.Faults.IntegrationTests.Harness;

/// <summary>
/// The suite's own Redis, RabbitMQ and PostgreSQL (state under /tmp/asya-svc-faults, ports beside the defaults, RabbitMQ
/// node faults@localhost), started by the broker-restart and gateway scenarios through deploy/local/services:
/// restarting the shared brokers would break every other suite and engineer using them.
/// </summary>
internal static class PrivateBrokers
{
    public const int RedisPort = 6393;
    public const int RabbitMqPort = 5682;
    public const int RabbitMqManagementPort = 15682;
    public const int PostgresPort = 15443;

    public static PrivateServices Services { get; } = new("/tmp/asya-svc-faults", new Dictionary<string, string>
    {
        ["ASYA_REDIS_PORT"] = RedisPort.ToString(CultureInfo.InvariantCulture),
        ["ASYA_RABBITMQ_PORT"] = RabbitMqPort.ToString(CultureInfo.InvariantCulture),
        ["ASYA_RABBITMQ_MANAGEMENT_PORT"] = RabbitMqManagementPort.ToString(CultureInfo.InvariantCulture),
        ["ASYA_RABBITMQ_DIST_PORT"] = "25682",
        ["ASYA_RABBITMQ_NODE"] = "faults@localhost",
        ["ASYA_RABBITMQ_EPMD_PORT"] = "14382",
        ["ASYA_POSTGRES_PORT"] = PostgresPort.ToString(CultureInfo.InvariantCulture),
    });

    public static FaultTransport Redis => FaultTransport.Redis($"127.0.0.1:{RedisPort.ToString(CultureInfo.InvariantCulture)}");

    public static FaultTransport RabbitMq =>
        FaultTransport.RabbitMq($"amqp://guest:guest@127.0.0.1:{RabbitMqPort.ToString(CultureInfo.InvariantCulture)}/", RabbitMqManagementPort);
}
