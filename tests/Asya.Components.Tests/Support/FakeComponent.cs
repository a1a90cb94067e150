using Asya.Components.Abstractions;

namespace Asya.Components.Tests.Support;

/// <summary>A component that records its spec; <see cref="FailOnKey"/> makes init reject that key's value.</summary>
internal sealed class FakeComponent : IComponent
{
    public ComponentSpec? Spec { get; private set; }

    public bool Disposed { get; private set; }

    public string? FailOnKey { get; init; }

    public bool HangOnInit { get; init; }

    public async ValueTask InitAsync(ComponentSpec spec, CancellationToken cancellationToken)
    {
        Spec = spec;
        if (HangOnInit)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (FailOnKey is not null)
        {
            throw ComponentConfigurationException.InvalidValue(spec, FailOnKey, new MetadataReader(spec).GetString(FailOnKey), "is not a valid URL");
        }
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}
