using System.Collections.Frozen;
using Asya.Components.Abstractions;

namespace Asya.Components;

/// <summary>
/// Maps <c>spec.type</c> and <c>spec.version</c> to a factory. Keys are <c>{type}/{version}</c>, lower case; like Dapr,
/// an empty version, <c>v0</c> and <c>v1</c> all mean the initial version, so any of them finds a factory of another.
/// </summary>
public sealed class ComponentRegistry
{
    private static readonly string[] InitialVersions = ["v1", "v0", ""];

    private readonly FrozenDictionary<string, IComponentFactory> _factories;

    /// <summary>Builds the registry; two factories claiming the same type and version throw.</summary>
    public ComponentRegistry(IEnumerable<IComponentFactory> factories)
    {
        ArgumentNullException.ThrowIfNull(factories);
        var byKey = new Dictionary<string, IComponentFactory>(StringComparer.OrdinalIgnoreCase);
        var types = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var factory in factories)
        {
            foreach (var type in factory.Types)
            {
                var key = Key(type, factory.Version);
                if (byKey.TryGetValue(key, out var existing))
                {
                    // The same factory registered twice (e.g. two AddX() calls) is harmless; two different ones are not.
                    if (existing.GetType() == factory.GetType())
                    {
                        continue;
                    }

                    throw new InvalidOperationException(
                        $"component type '{key}' is registered twice: by {existing.GetType().FullName} and by {factory.GetType().FullName}");
                }

                byKey.Add(key, factory);
                types.Add(type.ToLowerInvariant());
            }
        }

        _factories = byKey.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        KnownTypes = types;
    }

    /// <summary>Every registered <c>spec.type</c>, sorted.</summary>
    public IReadOnlyCollection<string> KnownTypes { get; }

    /// <summary>
    /// The factory for <paramref name="type"/> and <paramref name="version"/>; unknown → <see cref="ComponentConfigurationException"/>
    /// naming <paramref name="sourceForErrors"/> and listing the known types.
    /// </summary>
    public IComponentFactory Resolve(string type, string version, string? sourceForErrors)
    {
        if (TryResolve(type, version, out var factory))
        {
            return factory;
        }

        var prefix = sourceForErrors is null ? string.Empty : sourceForErrors + ": ";
        var versions = _factories.Keys
            .Where(k => k.StartsWith(type + "/", StringComparison.OrdinalIgnoreCase))
            .Select(k => k[(k.IndexOf('/', StringComparison.Ordinal) + 1)..])
            .Order(StringComparer.Ordinal)
            .ToList();
        if (versions.Count > 0)
        {
            throw new ComponentConfigurationException(
                $"{prefix}component type '{type}' has no version '{version}'; known versions: {string.Join(", ", versions)}");
        }

        throw new ComponentConfigurationException(
            $"{prefix}unknown component type '{type}'; known types: {string.Join(", ", KnownTypes)}");
    }

    /// <summary>Looks up a factory without throwing.</summary>
    public bool TryResolve(string type, string version, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IComponentFactory? factory)
    {
        ArgumentNullException.ThrowIfNull(type);
        version ??= string.Empty;
        if (_factories.TryGetValue(Key(type, version), out factory))
        {
            return true;
        }

        if (InitialVersions.Contains(version.Trim().ToLowerInvariant()))
        {
            foreach (var initial in InitialVersions)
            {
                if (_factories.TryGetValue(Key(type, initial), out factory))
                {
                    return true;
                }
            }
        }

        factory = null;
        return false;
    }

    private static string Key(string type, string version) =>
        $"{type.Trim().ToLowerInvariant()}/{version.Trim().ToLowerInvariant()}";
}
