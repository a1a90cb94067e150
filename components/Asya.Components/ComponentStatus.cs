namespace Asya.Components;

/// <summary>What loading did with one Component document.</summary>
public enum ComponentStatus
{
    /// <summary>In scope and valid: the app may use it.</summary>
    Loaded,

    /// <summary>Not for this app (scopes, namespace, apiVersion) or its error was ignored through <c>spec.ignoreErrors</c>.</summary>
    Skipped,

    /// <summary>Invalid; loading fails.</summary>
    Error,
}
