using Asya.Operator.Model;

namespace Asya.Operator.Building;

/// <summary>Names of the objects made for an actor.</summary>
public static class ObjectNames
{
    public static string Deployment(ActorModel actor) => Checked(actor).Actor;

    public static string ScaledObject(ActorModel actor) => Checked(actor).Actor;

    public static string ComponentsSecret(ActorModel actor) => $"asya-{Checked(actor).Actor}-components";

    /// <summary>ServiceAccount, Role and RoleBinding of an actor whose components read Kubernetes Secrets.</summary>
    public static string SecretAccess(ActorModel actor) => $"asya-{Checked(actor).Actor}";

    private static ActorModel Checked(ActorModel actor) => actor ?? throw new ArgumentNullException(nameof(actor));
}
