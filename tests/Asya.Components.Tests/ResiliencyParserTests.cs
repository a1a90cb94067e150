using Asya.Components.Abstractions;
using Asya.Components.Resiliency;

namespace Asya.Components.Tests;

public sealed class ResiliencyParserTests
{
    [Fact]
    public void FromEnvironment_FullPolicies_AreParsed()
    {
        var settings = ResiliencyParser.FromEnvironment(
            """
            {
              "default": {"maxAttempts": 3, "backoff": "linear", "initialDelay": "1s", "maxInterval": "10s",
                          "maxDuration": "5m", "jitter": true, "onExhausted": ["fallback", "x-sink"]},
              "fast": {"maxAttempts": "2", "backoff": "Constant", "initialDelay": 0.5}
            }
            """,
            """[{"errors": ["requests.exceptions.Timeout", "ConnectionError"], "policy": "fast"}]""",
            "90s");

        Assert.Equal(TimeSpan.FromSeconds(90), settings.ActorTimeout);
        var d = settings.Policies["default"];
        Assert.Equal(
            ("default", 3, BackoffKind.Linear, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5), true),
            (d.Name, d.MaxAttempts, d.Backoff, d.InitialDelay, d.MaxInterval, d.MaxDuration, d.Jitter));
        Assert.Equal(["fallback", "x-sink"], d.OnExhausted);
        var fast = settings.Policies["fast"];
        Assert.Equal((2, BackoffKind.Constant, TimeSpan.FromMilliseconds(500), false), (fast.MaxAttempts, fast.Backoff, fast.InitialDelay, fast.Jitter));
        var rule = Assert.Single(settings.Rules);
        Assert.Equal(["requests.exceptions.Timeout", "ConnectionError"], rule.Errors);
        Assert.Same(fast, settings.Match("requests.ConnectionError", []));
    }

    [Fact]
    public void FromEnvironment_Unset_NoPoliciesDefaultTimeout()
    {
        var settings = ResiliencyParser.FromEnvironment(null, " ", "");

        Assert.Empty(settings.Policies);
        Assert.Empty(settings.Rules);
        Assert.Equal(ResiliencySettings.DefaultActorTimeout, settings.ActorTimeout);
        Assert.Null(settings.Match("X", []));
    }

    [Fact]
    public void FromEnvironment_PolicyDefaults_AreExponentialSingleAttempt()
    {
        var policy = ResiliencyParser.FromEnvironment("""{"p": {}}""", null, null).Policies["p"];

        Assert.Equal((1, BackoffKind.Exponential, TimeSpan.Zero, false), (policy.MaxAttempts, policy.Backoff, policy.InitialDelay, policy.Jitter));
        Assert.Empty(policy.OnExhausted);
    }

    [Theory]
    [InlineData("""{"p": {"initialDelay": "5x"}}""", "ASYA_RESILIENCY_POLICIES: policy 'p', field 'initialDelay': \"5x\" is not a duration")]
    [InlineData("""{"p": {"maxAttempts": 1.5}}""", "ASYA_RESILIENCY_POLICIES: policy 'p', field 'maxAttempts': 1.5 is not a whole number")]
    [InlineData("""{"p": {"backoff": "random"}}""", "ASYA_RESILIENCY_POLICIES: policy 'p', field 'backoff': 'random' must be constant, linear or exponential")]
    [InlineData("""{"p": {"jitter": "maybe"}}""", "ASYA_RESILIENCY_POLICIES: policy 'p', field 'jitter'")]
    [InlineData("""{"p": {"maxInterval": "-1s"}}""", "ASYA_RESILIENCY_POLICIES: policy 'p', field 'maxInterval': must not be negative")]
    [InlineData("""{"p": {"maxAtempts": 3}}""", "ASYA_RESILIENCY_POLICIES: policy 'p', field 'maxAtempts': unknown field (did you mean 'maxAttempts'?)")]
    [InlineData("""{"p": 3}""", "ASYA_RESILIENCY_POLICIES: policy 'p' must be an object")]
    [InlineData("""[1]""", "ASYA_RESILIENCY_POLICIES: must be an object")]
    [InlineData("""{"p": """, "ASYA_RESILIENCY_POLICIES: not valid JSON")]
    public void FromEnvironment_BadPolicy_ErrorNamesVariablePolicyAndField(string json, string expectedStart)
    {
        var error = Assert.Throws<ComponentConfigurationException>(() => ResiliencyParser.FromEnvironment(json, null, null));

        Assert.StartsWith(expectedStart, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[{"errors": ["X"], "policy": "ghost"}]""", "ASYA_RESILIENCY_RULES: rule 0, field 'policy': policy 'ghost' is not defined; defined policies: p")]
    [InlineData("""[{"errors": [], "policy": "p"}]""", "ASYA_RESILIENCY_RULES: rule 0, field 'errors': must list at least one error type")]
    [InlineData("""[{"errors": ["X"]}]""", "ASYA_RESILIENCY_RULES: rule 0, field 'policy': must name a policy")]
    [InlineData("""{"errors": ["X"]}""", "ASYA_RESILIENCY_RULES: must be an array")]
    public void FromEnvironment_BadRule_ErrorNamesRuleAndField(string json, string expectedStart)
    {
        var error = Assert.Throws<ComponentConfigurationException>(() => ResiliencyParser.FromEnvironment("""{"p": {}}""", json, null));

        Assert.StartsWith(expectedStart, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5x")]
    [InlineData("0s")]
    public void FromEnvironment_BadActorTimeout_ErrorNamesVariable(string text) =>
        Assert.StartsWith(
            "ASYA_RESILIENCY_ACTOR_TIMEOUT:",
            Assert.Throws<ComponentConfigurationException>(() => ResiliencyParser.FromEnvironment(null, null, text)).Message,
            StringComparison.Ordinal);

    [Fact]
    public void FromEnvironment_ActorTimeoutBareNumber_IsSeconds() =>
        Assert.Equal(TimeSpan.FromSeconds(30), ResiliencyParser.FromEnvironment(null, null, "30").ActorTimeout);

    [Fact]
    public void FromNode_AsyncActorYaml_IsParsed()
    {
        var doc = Assert.Single(YamlJson.Parse("""
            apiVersion: asya.sh/v1alpha1
            kind: AsyncActor
            metadata: {name: scorer}
            spec:
              resiliency:
                actorTimeout: 2m
                policies:
                  default: {maxAttempts: 4, backoff: exponential, initialDelay: 200ms, jitter: true}
                  oom: {maxAttempts: 1, onExhausted: [small-model]}
                rules:
                  - errors: [MemoryError]
                    policy: oom
            """, "/m/scorer.yaml").Documents);

        var settings = ResiliencyParser.FromNode(doc.Body["spec"]!["resiliency"], doc.SourceFile);

        Assert.Equal(TimeSpan.FromMinutes(2), settings.ActorTimeout);
        Assert.Equal(4, settings.Policies["default"].MaxAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(200), settings.Policies["default"].InitialDelay);
        Assert.Equal(["small-model"], settings.Match("builtins.MemoryError", [])!.OnExhausted);
    }

    [Fact]
    public void FromNode_Missing_IsNone() => Assert.Same(ResiliencySettings.None, ResiliencyParser.FromNode(null, "x.yaml"));

    [Fact]
    public void FromNode_BadField_ErrorNamesFile()
    {
        var body = YamlJson.Parse("resiliency:\n  policies:\n    p: {initialDelay: soon}\n", "/m/a.yaml").Documents[0].Body;

        var error = Assert.Throws<ComponentConfigurationException>(() => ResiliencyParser.FromNode(body["resiliency"], "/m/a.yaml"));

        Assert.StartsWith("/m/a.yaml: spec.resiliency.policies: policy 'p', field 'initialDelay'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromNode_UnknownTopLevelField_IsAnError()
    {
        var body = YamlJson.Parse("resiliency:\n  timeout: 5s\n", "/m/a.yaml").Documents[0].Body;

        var error = Assert.Throws<ComponentConfigurationException>(() => ResiliencyParser.FromNode(body["resiliency"], "/m/a.yaml"));

        Assert.Equal("/m/a.yaml: spec.resiliency: unknown field 'timeout' (known: actorTimeout, policies, rules)", error.Message);
    }
}
