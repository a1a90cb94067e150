using System.Text.Json.Nodes;
using Asya.Components;
using Asya.Operator.Building;
using Asya.Operator.Kube;

namespace Asya.Operator.Reconcile;

/// <summary>
/// The Component documents of a namespace: Dapr <c>components.dapr.io</c> objects when that CRD is served (teams coming
/// from Dapr already have them), else ConfigMaps labelled <c>asya.sh/components=true</c> whose values are manifests.
/// Whether the CRD is there is asked once per <see cref="OperatorSettings.ResyncPeriod"/>.
/// </summary>
internal sealed class ComponentSource(KubeApi api, TimeProvider timeProvider, TimeSpan recheck)
{
    public const string ConfigMapSelector = Labels.Components + "=true";

    private readonly Lock _gate = new();
    private bool? _daprServed;
    private DateTimeOffset _checkedAt;

    public async Task<(IReadOnlyDictionary<string, JsonObject> Components, string Source)> LoadAsync(string ns, CancellationToken cancellationToken)
    {
        var components = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        if (await DaprServedAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var item in await api.ListAsync(ResourceKind.DaprComponents, ns, null, cancellationToken).ConfigureAwait(false))
            {
                if (item["metadata"]?["name"]?.GetValue<string>() is { } name)
                {
                    components[name] = item;
                }
            }

            return (components, "components.dapr.io Components");
        }

        foreach (var map in await api.ListAsync(ResourceKind.ConfigMaps, ns, ConfigMapSelector, cancellationToken).ConfigureAwait(false))
        {
            var mapName = map["metadata"]?["name"]?.GetValue<string>() ?? "?";
            if (map["data"] is not JsonObject data)
            {
                continue;
            }

            foreach (var (key, value) in data.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                var set = YamlJson.Parse(value?.GetValue<string>() ?? string.Empty, $"ConfigMap {ns}/{mapName} key {key}");

                // A manifest that does not parse may be the very transport of the actor: an error, never a silent skip.
                if (set.Diagnostics.FirstOrDefault(d => d.Severity == ManifestSeverity.Error) is { } broken)
                {
                    throw new ComponentMissingException($"{broken}; fix the manifest (the components of {ns} are read once it parses)")
                    {
                        Reason = "ManifestInvalid",
                    };
                }
                foreach (var document in set.Documents.Where(d => d.Kind == "Component"))
                {
                    if (document.Name is { } name)
                    {
                        // The first definition wins, like the loader's rule that a name is defined once.
                        components.TryAdd(name, document.Body);
                    }
                }
            }
        }

        return (components, $"ConfigMaps labelled {ConfigMapSelector}");
    }

    private async Task<bool> DaprServedAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (_daprServed is { } known && now - _checkedAt < recheck)
            {
                return known;
            }
        }

        // Two workers asking at once both call discovery; harmless, and simpler than holding a lock across I/O.
        var served = await api.ServesAsync(ResourceKind.DaprComponents, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _daprServed = served;
            _checkedAt = now;
        }

        return served;
    }
}
