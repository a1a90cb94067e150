namespace Asya.Components.Abstractions;

/// <summary>A source of secrets for <c>secretKeyRef</c>s (Dapr <c>secretstores.*</c>).</summary>
public interface ISecretStore : IComponent
{
    /// <summary>
    /// The fields of secret <paramref name="name"/>, or <c>null</c> when it does not exist.
    /// A single-valued store returns one field named like the secret.
    /// </summary>
    ValueTask<IReadOnlyDictionary<string, string>?> GetSecretAsync(string name, CancellationToken cancellationToken);
}
