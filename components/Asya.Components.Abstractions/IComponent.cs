namespace Asya.Components.Abstractions;

/// <summary>A component created from a manifest by its factory, then initialised once with its spec.</summary>
public interface IComponent : IAsyncDisposable
{
    /// <summary>
    /// Reads and validates the metadata and connects. Invalid values throw <see cref="ComponentConfigurationException"/>
    /// naming the component, the key and the (masked, if secret) value.
    /// </summary>
    ValueTask InitAsync(ComponentSpec spec, CancellationToken cancellationToken);
}
