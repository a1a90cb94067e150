using Asya.Runtime.Protocol;
using Asya.Sidecar.Tests.Fakes;

namespace Asya.Sidecar.Tests.Integration;

public sealed class ResiliencyScenarioTests
{
    private static string Policy(int maxAttempts) =>
        """{"default":{"maxAttempts":""" + maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture) + ""","backoff":"constant","initialDelay":"200ms"}}""";

    [Fact]
    public async Task RetryExhaustion_AttemptCountsAndTimestamps()
    {
        await using var mesh = await Mesh.StartAsync(new ActorSpec("retry-fail", "fail", Policy(3)));
        await mesh.SendAsync(Envelopes.Create("rx-1", ["retry-fail"], """{"test":"retry_exhausted"}"""));

        var result = await mesh.ResultAsync("rx-1");
        Assert.Equal(EnvelopePhase.Failed, result.Status!.Phase);
        Assert.Equal(EnvelopeReason.PolicyExhausted, result.Status.Reason);
        Assert.Equal(3, result.Status.Attempt);
        Assert.Equal(3, result.Status.MaxAttempts);
        Assert.Equal("retry-fail", result.Status.Actor);
        Assert.Equal("ValueError", result.Status.Error!.Type);
        Assert.Contains("Intentional test failure", result.Status.Error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(result.Status.Error.Traceback);
        Assert.Equal("retry_exhausted", result.Payload.GetProperty("original_payload").GetProperty("test").GetString());
        Assert.True(result.Status.CreatedAt <= result.Status.UpdatedAt);
    }

    [Fact]
    public async Task SuccessAfterOneRetry_SucceededOnAttempt2()
    {
        await using var mesh = await Mesh.StartAsync(new ActorSpec("flaky", "flaky", Policy(3)));
        await mesh.SendAsync(Envelopes.Create("once-1", ["flaky"], """{"key":"once-1"}"""));

        var result = await mesh.ResultAsync("once-1");
        Assert.Equal(EnvelopePhase.Succeeded, result.Status!.Phase);
        Assert.Equal(2, result.Status.Attempt);
        Assert.Null(result.Status.Error);
    }

    [Fact]
    public async Task AttemptReset_OnActorTransition()
    {
        await using var mesh = await Mesh.StartAsync(new ActorSpec("flaky-a", "flaky", Policy(3)), new ActorSpec("flaky-b", "flaky", Policy(3)));
        await mesh.SendAsync(Envelopes.Create("reset-1", ["flaky-a", "flaky-b"], """{"key":"reset-1"}"""));

        var result = await mesh.ResultAsync("reset-1");
        Assert.Equal(EnvelopePhase.Succeeded, result.Status!.Phase);
        Assert.Equal("flaky-b", result.Status.Actor);
        Assert.Equal(2, result.Status.Attempt);
        Assert.Null(result.Status.Error);
    }

    [Fact]
    public async Task DaprResiliencyManifest_RetriesThenExhausted()
    {
        using var resources = new Asya.Testing.TempDirectory();
        await File.WriteAllTextAsync(resources.Combine("resiliency.yaml"), """
            apiVersion: dapr.io/v1alpha1
            kind: Resiliency
            metadata:
              name: retries
            spec:
              policies:
                retries:
                  quick:
                    policy: constant
                    duration: 100ms
                    maxRetries: 2
              targets:
                apps:
                  dapr-retry:
                    retry: quick
            """);
        await using var mesh = await Mesh.StartAsync(new ActorSpec("dapr-retry", "fail", ResourcesPath: resources.Path));
        await mesh.SendAsync(Envelopes.Create("dr-1", ["dapr-retry"]));

        var result = await mesh.ResultAsync("dr-1");
        Assert.Equal(EnvelopeReason.PolicyExhausted, result.Status!.Reason);
        Assert.Equal(3, result.Status.Attempt);
        Assert.Equal(3, result.Status.MaxAttempts);
    }
}
