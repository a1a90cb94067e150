using System.Net;
using System.Text;
using Asya.Components.Abstractions;
using k8s;
using k8s.Autorest;

namespace Asya.Components.Kubernetes;

/// <summary>
/// <c>secretstores.kubernetes</c>: secret <c>name</c> is the Kubernetes Secret of that name in the pod's namespace
/// (metadata <c>defaultNamespace</c>, else <c>NAMESPACE</c>/<c>POD_NAMESPACE</c>, else the service account's), and
/// its keys are the fields. In a pod the in-cluster service account is used; elsewhere <c>kubeconfigPath</c> or the
/// default kubeconfig.
/// </summary>
internal sealed class KubernetesSecretStore : ISecretStore
{
    public const string DefaultNamespaceKey = "defaultNamespace";
    public const string KubeconfigPathKey = "kubeconfigPath";

    private const string ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    private k8s.Kubernetes? _client;
    private string _namespace = "default";
    private string _describe = "secret store";

    public async ValueTask InitAsync(ComponentSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _describe = spec.Describe();
        var reader = new MetadataReader(spec);
        var kubeconfig = reader.GetString(KubeconfigPathKey);
        KubernetesClientConfiguration config;
        try
        {
            config = kubeconfig is not null
                ? KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig)
                : KubernetesClientConfiguration.IsInCluster()
                    ? KubernetesClientConfiguration.InClusterConfig()
                    : KubernetesClientConfiguration.BuildConfigFromConfigFile();
        }
        catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException)
        {
            var source = kubeconfig is null ? "the in-cluster service account or the default kubeconfig" : $"kubeconfig '{kubeconfig}'";
            throw new ComponentConfigurationException($"{_describe}: cannot configure a Kubernetes client from {source}: {ex.Message}", ex);
        }

        _namespace = reader.GetString(DefaultNamespaceKey)
            ?? NonEmpty(Environment.GetEnvironmentVariable("NAMESPACE"))
            ?? NonEmpty(Environment.GetEnvironmentVariable("POD_NAMESPACE"))
            ?? (File.Exists(ServiceAccountNamespaceFile)
                ? NonEmpty(await File.ReadAllTextAsync(ServiceAccountNamespaceFile, cancellationToken).ConfigureAwait(false))
                : null)
            ?? NonEmpty(config.Namespace)
            ?? "default";
        _client = new k8s.Kubernetes(config);
    }

    public async ValueTask<IReadOnlyDictionary<string, string>?> GetSecretAsync(string name, CancellationToken cancellationToken)
    {
        var client = _client ?? throw new InvalidOperationException($"{_describe} is not initialised");
        try
        {
            var secret = await client.CoreV1.ReadNamespacedSecretAsync(name, _namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in secret.Data ?? new Dictionary<string, byte[]>())
            {
                fields[key] = Encoding.UTF8.GetString(value);
            }

            foreach (var (key, value) in secret.StringData ?? new Dictionary<string, string>())
            {
                fields[key] = value;
            }

            return fields;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (HttpOperationException ex)
        {
            // The body of an API error can echo the request; the status code and reason are enough to act on.
            throw new InvalidOperationException(
                $"{_describe}: reading Secret '{name}' in namespace '{_namespace}' failed: HTTP {(int)ex.Response.StatusCode} {ex.Response.ReasonPhrase}"
                + (ex.Response.StatusCode == HttpStatusCode.Forbidden ? " (the pod's service account needs 'get' on this Secret)" : string.Empty),
                ex);
        }
    }

    public ValueTask DisposeAsync()
    {
        _client?.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
