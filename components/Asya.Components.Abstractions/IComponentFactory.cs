namespace Asya.Components.Abstractions;

/// <summary>Creates components of one kind; registered once and looked up by <c>spec.type</c> and version.</summary>
public interface IComponentFactory
{
    /// <summary><c>spec.type</c> values this factory serves, lower case, e.g. <c>pubsub.sqlite</c>.</summary>
    IReadOnlyList<string> Types { get; }

    /// <summary>The component version as Dapr numbers it: <c>v1</c> for most of ours, <c>v2</c> for <c>state.postgresql</c>.</summary>
    string Version { get; }

    /// <summary>Metadata keys the component reads; any other key gets a warning naming the nearest known key.</summary>
    IReadOnlyCollection<string> MetadataKeys { get; }

    /// <summary>
    /// Keys of the Dapr component's metadata struct that mean nothing on the mesh (its topology replaces them). The
    /// loader accepts them and says so once per component instead of calling them unknown.
    /// </summary>
    IReadOnlyCollection<string> NoEffectKeys => [];

    /// <summary>
    /// Checks the metadata the way <see cref="IComponent.InitAsync"/> would, without connecting to anything; throws
    /// <see cref="ComponentConfigurationException"/> for a value the component refuses and adds a line to
    /// <paramref name="warnings"/> for one it only doubts. <c>asya components check</c> relies on this.
    /// </summary>
    void Validate(ComponentSpec spec, ICollection<string> warnings)
    {
    }

    /// <summary>Creates an uninitialised component; the caller calls <see cref="IComponent.InitAsync"/>.</summary>
    IComponent Create(IServiceProvider services);
}
