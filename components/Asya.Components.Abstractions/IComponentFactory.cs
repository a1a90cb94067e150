namespace Asya.Components.Abstractions;

/// <summary>Creates components of one kind; registered once and looked up by <c>spec.type</c> and version.</summary>
public interface IComponentFactory
{
    /// <summary><c>spec.type</c> values this factory serves, lower case, e.g. <c>pubsub.sqlite</c>.</summary>
    IReadOnlyList<string> Types { get; }

    /// <summary>The component version, <c>v1</c> for all of ours.</summary>
    string Version { get; }

    /// <summary>Metadata keys the component reads; any other key gets a warning naming the nearest known key.</summary>
    IReadOnlyCollection<string> MetadataKeys { get; }

    /// <summary>Creates an uninitialised component; the caller calls <see cref="IComponent.InitAsync"/>.</summary>
    IComponent Create(IServiceProvider services);
}
