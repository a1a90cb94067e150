using Asya.Components.Abstractions;

namespace Asya.Components.Tests;

public sealed class MetadataReaderTests
{
    private static MetadataReader Reader(params (string Key, string Value)[] metadata) =>
        new(ComponentSpec.Create("bus", "pubsub.fake", metadata) with { SourceFile = "/m/bus.yaml" });

    [Theory]
    [InlineData("y", true)]
    [InlineData("YES", true)]
    [InlineData("true", true)]
    [InlineData("T", true)]
    [InlineData(" on ", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("no", false)]
    [InlineData("2", false)]
    [InlineData("enabled", false)]
    public void GetBool_LenientLikeDapr(string text, bool expected) =>
        Assert.Equal(expected, Reader(("durable", text)).GetBool("durable", defaultValue: !expected));

    [Fact]
    public void GetBool_MissingOrEmpty_GivesDefault()
    {
        Assert.True(Reader().GetBool("durable", defaultValue: true));
        Assert.True(Reader(("durable", "")).GetBool("durable", defaultValue: true));
    }

    [Theory]
    [InlineData("300ms", 300)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("2h45m", 9_900_000)]
    [InlineData("10", 10_000)]
    [InlineData("0.5", 500)]
    [InlineData("1500us", 1.5)]
    public void GetDuration_GoStringsAndBareSeconds(string text, double milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Reader(("timeout", text)).GetDuration("timeout", TimeSpan.Zero));

    [Fact]
    public void GetDuration_BareNumberAsMilliseconds_WhenAsked() =>
        Assert.Equal(TimeSpan.FromMilliseconds(250), Reader(("t", "250")).GetDuration("t", TimeSpan.Zero, bareNumberIsMilliseconds: true));

    [Theory]
    [InlineData("10x")]
    [InlineData("s")]
    [InlineData("-5s")]
    [InlineData("1m-")]
    public void GetDuration_BadValue_ErrorNamesComponentKeyAndValue(string text)
    {
        var error = Assert.Throws<ComponentConfigurationException>(() => Reader(("timeout", text)).GetDuration("timeout", TimeSpan.Zero));

        Assert.StartsWith($"component 'bus' (/m/bus.yaml): metadata 'timeout' = '{text}': must be a duration", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetInt_BadOrOutOfRange_IsAnError()
    {
        Assert.Equal(5, Reader(("n", " 5 ")).GetInt("n", 1));
        Assert.Contains("must be an integer", Assert.Throws<ComponentConfigurationException>(() => Reader(("n", "five")).GetInt("n", 1)).Message, StringComparison.Ordinal);
        Assert.Contains("between 0 and 10", Assert.Throws<ComponentConfigurationException>(() => Reader(("n", "-1")).GetInt("n", 1, 0, 10)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetString_KeysCaseInsensitiveAndAliasesInOrder()
    {
        var reader = Reader(("URL", "amqp://a"), ("host", "b"));

        Assert.Equal("amqp://a", reader.GetString("connectionString", "url"));
        Assert.Equal("b", reader.GetString("Host"));
        Assert.Null(reader.GetString("missing"));
        Assert.Equal(
            "component 'bus' (/m/bus.yaml): metadata 'region' = (missing): this key is required",
            Assert.Throws<ComponentConfigurationException>(() => reader.GetRequiredString("region")).Message);
    }

    [Fact]
    public void InvalidValue_SecretKey_IsMasked()
    {
        var spec = ComponentSpec.Create("bus", "pubsub.fake", ("password", "hunter2")) with
        {
            SecretKeys = new HashSet<string>(["PASSWORD"], StringComparer.OrdinalIgnoreCase),
        };

        var error = ComponentConfigurationException.InvalidValue(spec, "password", "hunter2", "too short");

        Assert.Equal("component 'bus': metadata 'password' = ***: too short", error.Message);
    }
}
