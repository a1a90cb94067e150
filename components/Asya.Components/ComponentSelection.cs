using Asya.Components.Abstractions;

namespace Asya.Components;

/// <summary>
/// Picks the transport or result store of an app from its loaded components. There is no silent fallback: when the
/// manifests hold a component of the role but none is loaded for this app (scopes, namespace, apiVersion, an ignored
/// error), using the embedded SQLite default instead is a configuration error unless the caller opted in.
/// </summary>
public static class ComponentSelection
{
    /// <summary>The option that opts in to the embedded default when manifests of the role were skipped.</summary>
    public const string AllowEmbeddedOption = "--allow-embedded-default";

    /// <summary>
    /// The component named <paramref name="name"/>, else the only one of <paramref name="category"/>, else null (the
    /// embedded default); several, a missing name, or skipped ones without <paramref name="allowEmbedded"/> → error.
    /// </summary>
    /// <param name="loaded">Components of the resources path; null when none was given.</param>
    /// <param name="category"><see cref="ComponentTypes.Transport"/> or <see cref="ComponentTypes.State"/>.</param>
    /// <param name="name">The component asked for by name, if any.</param>
    /// <param name="appId">Whose components these are, for messages.</param>
    /// <param name="nameOption">The option that names a component, for messages.</param>
    /// <param name="allowEmbedded">The user opted in to the embedded default.</param>
    public static ComponentSpec? Choose(
        LoadedComponents? loaded, string category, string? name, string appId, string nameOption, bool allowEmbedded)
    {
        ArgumentNullException.ThrowIfNull(category);
        var candidates = loaded?.OfCategory(category) ?? [];
        var role = category == ComponentTypes.State ? "result store" : "transport";
        if (name is not null)
        {
            if (loaded?.Find(name) is { } found)
            {
                return found;
            }

            var skipped = loaded?.Report.Components.FirstOrDefault(c => c.Name == name && c.Status != ComponentStatus.Loaded);
            throw new ComponentConfigurationException(skipped is not null
                ? $"{nameOption}: {skipped.Describe()}"
                : $"{nameOption}: no component named '{name}' in the resources path; {category}* components loaded: {List(candidates)}");
        }

        if (candidates.Count > 1)
        {
            throw new ComponentConfigurationException(
                $"several {category}* components for '{appId}' ({List(candidates)}); choose the {role} with {nameOption}");
        }

        if (candidates.Count == 1)
        {
            return candidates[0];
        }

        var missed = loaded?.SkippedOfCategory(category) ?? [];
        if (missed.Count > 0 && !allowEmbedded)
        {
            throw new ComponentConfigurationException(
                $"no {role} component is loaded for '{appId}', so it would run on the embedded SQLite default instead of "
                + $"the manifests' {role}: {string.Join("; ", missed.Select(m => m.Describe()))}. Fix the manifests, or pass "
                + $"{AllowEmbeddedOption} (ASYA_ALLOW_EMBEDDED_DEFAULT=true) to use the embedded default on purpose");
        }

        return null;
    }

    private static string List(IReadOnlyList<ComponentSpec> specs) =>
        specs.Count == 0 ? "none" : string.Join(", ", specs.Select(s => $"{s.Name} ({s.Type})"));
}
