using Asya.Components.Resiliency;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Tests.Fakes;

namespace Asya.Sidecar.Tests.Integration;

public sealed class ResiliencyScenarioTests
{
    private static ResiliencySettings Policy(int maxAttempts) => new()
    {
        Policies = new Dictionary<string, RetryPolicy>
        {
            ["default"] = new() { Name = "default", MaxAttempts = maxAttempts, Backoff = BackoffKind.Constant, InitialDelay = TimeSpan.FromMilliseconds(200) },
        },
    };

    [Fact]
    public async Task RetryExhaustion_AttemptCountsAndTimestamps()
    {
        await using var mesh = await Mesh.StartAsync(("retry-fail", "fail", Policy(3)));
        mesh.Send(Envelopes.Create("rx-1", ["retry-fail"], """{"test":"retry_exhausted"}"""));

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
        await using var mesh = await Mesh.StartAsync(("flaky", "flaky", Policy(3)));
        mesh.Send(Envelopes.Create("once-1", ["flaky"], """{"key":"once-1"}"""));

        var result = await mesh.ResultAsync("once-1");
        Assert.Equal(EnvelopePhase.Succeeded, result.Status!.Phase);
        Assert.Equal(2, result.Status.Attempt);
        Assert.Null(result.Status.Error);
    }

    [Fact]
    public async Task AttemptReset_OnActorTransition()
    {
        await using var mesh = await Mesh.StartAsync(("flaky-a", "flaky", Policy(3)), ("flaky-b", "flaky", Policy(3)));
        mesh.Send(Envelopes.Create("reset-1", ["flaky-a", "flaky-b"], """{"key":"reset-1"}"""));

        var result = await mesh.ResultAsync("reset-1");
        Assert.Equal(EnvelopePhase.Succeeded, result.Status!.Phase);
        Assert.Equal("flaky-b", result.Status.Actor);
        Assert.Equal(2, result.Status.Attempt);
        Assert.Null(result.Status.Error);
    }
}
