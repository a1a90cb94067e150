using Asya.Components.Abstractions;
using Asya.Components.Resiliency;
using Asya.Components.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Asya.Components.Tests;

public sealed class DaprResiliencyReaderTests
{
    private const string Header = "apiVersion: dapr.io/v1alpha1\nkind: Resiliency\nmetadata: {name: r}\n";

    private static IReadOnlyList<ManifestDocument> Docs(string yaml) => YamlJson.Parse(yaml, "/m/res.yaml").Documents;

    [Fact]
    public void Read_AppTarget_ConstantRetryAndNamedTimeout()
    {
        var settings = DaprResiliencyReader.Read(Docs(Header + """
            spec:
              policies:
                timeouts: {general: 45s}
                retries:
                  steady: {policy: constant, duration: 2s, maxRetries: 3}
              targets:
                apps:
                  orders: {timeout: general, retry: steady}
            """), "orders", "bus");

        var policy = settings!.Policies["default"];
        Assert.Equal(TimeSpan.FromSeconds(45), settings.ActorTimeout);
        Assert.Equal(("default", 4, BackoffKind.Constant, TimeSpan.FromSeconds(2)), (policy.Name, policy.MaxAttempts, policy.Backoff, policy.InitialDelay));
        Assert.Same(policy, settings.Match("any.Error", []));
    }

    [Fact]
    public void Read_ComponentInbound_ExponentialUnlimitedWithDaprDefaults()
    {
        var settings = DaprResiliencyReader.Read(Docs(Header + """
            spec:
              policies:
                retries:
                  backoff: {policy: exponential}
              targets:
                components:
                  bus:
                    inbound: {retry: backoff, timeout: 1500}
                    outbound: {timeout: 3s}
            """), "orders", "bus");

        var p = settings!.Policies["default"];
        Assert.Equal(
            (int.MaxValue, BackoffKind.Exponential, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(15), true),
            (p.MaxAttempts, p.Backoff, p.InitialDelay, p.MaxInterval, p.MaxDuration, p.Jitter));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), settings.ActorTimeout);
    }

    [Fact]
    public void Read_AppTargetBeatsComponentTarget()
    {
        var settings = DaprResiliencyReader.Read(Docs(Header + """
            spec:
              policies:
                retries:
                  a: {maxRetries: 0}
                  c: {maxRetries: 9}
              targets:
                apps: {orders: {retry: a}}
                components: {bus: {inbound: {retry: c}}}
            """), "orders", "bus");

        Assert.Equal(1, settings!.Policies["default"].MaxAttempts);
    }

    [Fact]
    public void Read_ExponentialWithLimit_NoMaxDurationAndCustomMaxInterval()
    {
        var settings = DaprResiliencyReader.Read(Docs(Header + """
            spec:
              policies:
                retries:
                  DefaultRetryPolicy: {policy: exponential, maxRetries: 5, maxInterval: 10s}
            """), "orders", "bus");

        var p = settings!.Policies["default"];
        Assert.Equal((6, TimeSpan.FromSeconds(10), TimeSpan.Zero), (p.MaxAttempts, p.MaxInterval, p.MaxDuration));
    }

    [Fact]
    public void Read_Defaults_MostSpecificDefaultWins()
    {
        var settings = DaprResiliencyReader.Read(Docs(Header + """
            spec:
              policies:
                timeouts:
                  DefaultTimeoutPolicy: 10s
                  DefaultComponentInboundTimeoutPolicy: 20s
                retries:
                  DefaultRetryPolicy: {maxRetries: 1}
                  DefaultAppRetryPolicy: {maxRetries: 2, duration: 250}
            """), "orders", "bus");

        Assert.Equal(TimeSpan.FromSeconds(20), settings!.ActorTimeout);
        var p = settings.Policies["default"];
        Assert.Equal((3, TimeSpan.FromMilliseconds(250)), (p.MaxAttempts, p.InitialDelay));
    }

    [Fact]
    public void Read_ConstantDefaults_FiveSecondsForever()
    {
        var settings = DaprResiliencyReader.Read(Docs(Header + "spec:\n  policies:\n    retries:\n      DefaultRetryPolicy: {}\n"), "orders", "bus");

        var p = settings!.Policies["default"];
        Assert.Equal((int.MaxValue, BackoffKind.Constant, TimeSpan.FromSeconds(5), TimeSpan.Zero), (p.MaxAttempts, p.Backoff, p.InitialDelay, p.MaxDuration));
        Assert.Equal(ResiliencySettings.DefaultActorTimeout, settings.ActorTimeout);
    }

    [Fact]
    public void Read_NothingForUs_IsNull()
    {
        var docs = Docs(Header + """
            spec:
              policies:
                retries: {r: {}}
              targets:
                apps: {someone-else: {retry: r}}
            """);

        Assert.Null(DaprResiliencyReader.Read(docs, "orders", "bus"));
        Assert.Null(DaprResiliencyReader.Read([], "orders", "bus"));
    }

    [Fact]
    public void Read_ScopedToOtherApps_IsIgnored()
    {
        var docs = Docs(Header + "spec:\n  policies:\n    retries:\n      DefaultRetryPolicy: {}\nscopes: [billing]\n");

        Assert.Null(DaprResiliencyReader.Read(docs, "orders", "bus"));
        Assert.NotNull(DaprResiliencyReader.Read(docs, "billing", "bus"));
    }

    [Fact]
    public void Read_UnknownPolicyReference_ErrorNamesFileAndTarget()
    {
        var docs = Docs(Header + """
            spec:
              policies:
                retries: {r: {}}
              targets:
                components: {other: {outbound: {retry: nope}}}
            """);

        var error = Assert.Throws<ComponentConfigurationException>(() => DaprResiliencyReader.Read(docs, "orders", "bus"));

        Assert.Equal(
            "/m/res.yaml:1: targets.components.other.outbound refers to retry policy 'nope', which is not defined in spec.policies; defined: r",
            error.Message);
    }

    [Fact]
    public void Read_UnknownTimeoutName_IsAnErrorButInlineDurationIsNot()
    {
        var bad = Docs(Header + "spec:\n  targets:\n    apps:\n      orders: {timeout: general}\n");
        var inline = Docs(Header + "spec:\n  targets:\n    apps:\n      orders: {timeout: 30s}\n");

        Assert.Contains("timeout policy 'general'", Assert.Throws<ComponentConfigurationException>(() => DaprResiliencyReader.Read(bad, "orders", "bus")).Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(30), DaprResiliencyReader.Read(inline, "orders", "bus")!.ActorTimeout);
    }

    [Fact]
    public void Read_BadRetryPolicyKind_IsAnError()
    {
        var docs = Docs(Header + "spec:\n  policies:\n    retries:\n      DefaultRetryPolicy: {policy: linear}\n");

        var error = Assert.Throws<ComponentConfigurationException>(() => DaprResiliencyReader.Read(docs, "orders", "bus"));

        Assert.Equal("/m/res.yaml:1: retry policy 'DefaultRetryPolicy', field 'policy': 'linear' must be constant or exponential", error.Message);
    }

    [Fact]
    public void Read_CircuitBreaker_WarnsAndIsIgnored()
    {
        var logger = new ListLogger<ComponentLoader>();
        var docs = Docs(Header + """
            spec:
              policies:
                retries: {r: {maxRetries: 2}}
                circuitBreakers: {cb: {trip: consecutiveFailures > 3}}
              targets:
                apps: {orders: {retry: r, circuitBreaker: cb}}
            """);

        var settings = DaprResiliencyReader.Read(docs, "orders", "bus", logger);

        Assert.Equal(3, settings!.Policies["default"].MaxAttempts);
        Assert.Contains("circuit breaker 'cb'", Assert.Single(logger.At(LogLevel.Warning)), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PolicyDefinedInTwoDocuments_IsAnError()
    {
        var docs = Docs(Header + "spec:\n  policies:\n    retries: {r: {}}\n---\n" + Header + "spec:\n  policies:\n    retries: {r: {}}\n");

        var error = Assert.Throws<ComponentConfigurationException>(() => DaprResiliencyReader.Read(docs, "orders", "bus"));

        Assert.Equal("/m/res.yaml:8: retry policy 'r' is also defined in /m/res.yaml:1", error.Message);
    }
}
