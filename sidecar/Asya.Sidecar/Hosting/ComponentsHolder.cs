namespace Asya.Sidecar.Hosting;

/// <summary>Components are created after the container is built (the factory needs it) and before the host starts.</summary>
internal sealed class ComponentsHolder
{
    private SidecarComponents? _components;

    public SidecarComponents Components
    {
        get => _components ?? throw new InvalidOperationException("components are not created yet");
        set => _components = value;
    }
}
