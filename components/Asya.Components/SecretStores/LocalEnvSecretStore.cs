using Asya.Components.Abstractions;

namespace Asya.Components.SecretStores;

/// <summary>
/// <c>secretstores.local.env</c>: secret <c>name</c> is environment variable <c>prefix + name</c>, returned as one field
/// named <c>name</c>. The variables envRef may not read are refused here too.
/// </summary>
internal sealed class LocalEnvSecretStore : ISecretStore
{
    private string _prefix = string.Empty;
    private string _describe = "secret store";

    public ValueTask InitAsync(ComponentSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _prefix = new MetadataReader(spec).GetString("prefix") ?? string.Empty;
        _describe = spec.Describe();
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyDictionary<string, string>?> GetSecretAsync(string name, CancellationToken cancellationToken)
    {
        var variable = _prefix + name;
        if (!EnvironmentPolicy.IsAllowed(variable))
        {
            throw new ComponentConfigurationException(
                $"{_describe}: environment variable '{variable}' may not be read as a secret ({EnvironmentPolicy.Rule})");
        }

        IReadOnlyDictionary<string, string>? secret = Environment.GetEnvironmentVariable(variable) is { } value
            ? new Dictionary<string, string>(StringComparer.Ordinal) { [name] = value }
            : null;
        return ValueTask.FromResult(secret);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
