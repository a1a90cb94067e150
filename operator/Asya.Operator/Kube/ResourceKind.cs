namespace Asya.Operator.Kube;

/// <summary>A namespaced Kubernetes resource type: where its objects live in the API.</summary>
public sealed record ResourceKind(string Group, string Version, string Plural, string Kind)
{
    public static ResourceKind AsyncActors { get; } = new("asya.sh", "v1alpha1", "asyncactors", "AsyncActor");

    public static ResourceKind Deployments { get; } = new("apps", "v1", "deployments", "Deployment");

    public static ResourceKind ScaledObjects { get; } = new("keda.sh", "v1alpha1", "scaledobjects", "ScaledObject");

    public static ResourceKind Secrets { get; } = new("", "v1", "secrets", "Secret");

    public static ResourceKind ConfigMaps { get; } = new("", "v1", "configmaps", "ConfigMap");

    public static ResourceKind ServiceAccounts { get; } = new("", "v1", "serviceaccounts", "ServiceAccount");

    public static ResourceKind Roles { get; } = new("rbac.authorization.k8s.io", "v1", "roles", "Role");

    public static ResourceKind RoleBindings { get; } = new("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding");

    /// <summary>Dapr's Component CRD (<c>components.dapr.io</c>).</summary>
    public static ResourceKind DaprComponents { get; } = new("dapr.io", "v1alpha1", "components", "Component");

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public override string ToString() => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
}
