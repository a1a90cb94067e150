using Asya.Testing.Brokers;

namespace Asya.Components.RabbitMQ.IntegrationTests;

/// <summary>Pure functions: no broker needed.</summary>
[BrokerFree]
public sealed class NamingTests
{
    [Theory]
    [InlineData(0.4, 1)]
    [InlineData(99, 99)]
    [InlineData(100, 100)]
    [InlineData(1234, 1300)]
    [InlineData(2000, 2000)]
    [InlineData(2001, 2100)]
    [InlineData(123_456, 130_000)]
    [InlineData(300_000, 300_000)]
    public void BucketMilliseconds_Delay_RoundsUpToTwoSignificantDigits(double delayMs, long expected)
    {
        Assert.Equal(expected, DelayQueues.BucketMilliseconds(TimeSpan.FromMilliseconds(delayMs)));
    }

    [Theory]
    [InlineData("asya-default-judge.delay.1300", "asya-default-judge")]
    [InlineData("asya-default-judge", null)]
    [InlineData("asya-default-judge.delay.", null)]
    [InlineData("asya-default-judge.delay.soon", null)]
    public void TargetOf_Name_IsTheFedQueueOnlyForDelayQueues(string name, string? expected)
    {
        Assert.Equal(expected, DelayQueues.TargetOf(name));
    }

    [Theory]
    [InlineData("amqp://guest:secret@host:5672/vhost", "amqp://guest:***@host:5672/vhost")]
    [InlineData("amqps://user:p%40ss@host", "amqps://user:***@host")]
    [InlineData("amqp://host:5672/", "amqp://host:5672/")]
    [InlineData("amqp://user@host/", "amqp://user@host/")]
    [InlineData("not a uri", "not a uri")]
    public void Mask_Uri_HidesOnlyThePassword(string text, string expected)
    {
        Assert.Equal(expected, UriMasking.Mask(text));
    }
}
