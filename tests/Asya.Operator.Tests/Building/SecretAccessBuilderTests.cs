using Asya.Operator.Building;
using Asya.Operator.Kube;

namespace Asya.Operator.Tests.Building;

public sealed class SecretAccessBuilderTests
{
    [Fact]
    public void Role_GrantsGetOnTheNamedSecretsOnly()
    {
        var role = SecretAccessBuilder.Role(BuilderFixtures.Actor(), ["b-secret", "a-secret"]);

        var rule = Assert.Single(role.Rules);
        Assert.Equal([""], rule.ApiGroups);
        Assert.Equal(["secrets"], rule.Resources);
        Assert.Equal(["a-secret", "b-secret"], rule.ResourceNames);
        Assert.Equal(["get"], rule.Verbs);
    }

    [Fact]
    public void RoleBinding_BindsTheActorServiceAccount()
    {
        var binding = SecretAccessBuilder.RoleBinding(BuilderFixtures.Actor());

        Assert.Equal("asya-judge", binding.RoleRef.Name);
        Assert.Equal("Role", binding.RoleRef.Kind);
        var subject = Assert.Single(binding.Subjects);
        Assert.Equal(("ServiceAccount", "asya-judge", "team-a"), (subject.Kind, subject.Name, subject.NamespaceProperty));
    }

    [Fact]
    public void ActorObjects_WithSecretRefs_IncludeAccessObjects_WithoutScaling_NoScaledObject()
    {
        var actor = BuilderFixtures.Actor("""{"image": "i", "handler": "m.f", "transport": "mesh", "scaling": {"enabled": false}}""");
        var components = BuilderFixtures.Components(actor, BuilderFixtures.Component("mesh", "pubsub.redis", """[{"name": "redisPassword", "secretKeyRef": {"name": "redis-auth", "key": "password"}}]"""));

        var kinds = ActorObjectsBuilder.Build(actor, new OperatorSettings(), components).Select(o => o.Kind).ToList();

        Assert.Equal([ResourceKind.Secrets, ResourceKind.ServiceAccounts, ResourceKind.Roles, ResourceKind.RoleBindings, ResourceKind.Deployments], kinds);
    }
}
