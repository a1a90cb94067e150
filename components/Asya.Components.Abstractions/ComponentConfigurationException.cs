namespace Asya.Components.Abstractions;

/// <summary>A manifest or metadata value that cannot be used; the message names the file, component and key.</summary>
public sealed class ComponentConfigurationException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public ComponentConfigurationException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public ComponentConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public ComponentConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>An invalid metadata value; secret values are replaced by <c>***</c>.</summary>
    public static ComponentConfigurationException InvalidValue(ComponentSpec spec, string key, string? value, string problem)
    {
        var shown = value is null ? "(missing)" : spec.SecretKeys.Contains(key) ? "***" : $"'{value}'";
        return new ComponentConfigurationException($"{spec.Describe()}: metadata '{key}' = {shown}: {problem}");
    }
}
