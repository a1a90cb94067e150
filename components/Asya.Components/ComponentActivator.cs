using Asya.Components.Abstractions;

namespace Asya.Components;

/// <summary>Creates a component through its factory, checks its role, initialises it within the init timeout.</summary>
internal static class ComponentActivator
{
    public static async Task<T> CreateAsync<T>(
        ComponentRegistry registry, IServiceProvider services, ComponentSpec spec, TimeSpan? initTimeout, CancellationToken cancellationToken)
        where T : class, IComponent
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(spec);
        var factory = registry.Resolve(spec.Type, spec.Version, spec.Describe());
        var component = factory.Create(services);
        if (component is not T typed)
        {
            await component.DisposeAsync();
            throw new ComponentConfigurationException(
                $"{spec.Describe()} has type {spec.Type}, which is not {RoleName(typeof(T))}");
        }

        try
        {
            if (initTimeout is { } timeout && timeout > TimeSpan.Zero)
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                deadline.CancelAfter(timeout);
                try
                {
                    await typed.InitAsync(spec, deadline.Token);
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new ComponentConfigurationException(
                        $"{spec.Describe()}: initialisation did not finish within spec.initTimeout ({timeout})");
                }
            }
            else
            {
                await typed.InitAsync(spec, cancellationToken);
            }
        }
        catch
        {
            await typed.DisposeAsync();
            throw;
        }

        return typed;
    }

    /// <summary>"a transport", "a state store"… for messages.</summary>
    public static string RoleName(Type role)
    {
        if (role == typeof(ITransport))
        {
            return "a transport";
        }

        if (role == typeof(IStateStore))
        {
            return "a state store";
        }

        if (role == typeof(ISecretStore))
        {
            return "a secret store";
        }

        if (role == typeof(IComponent))
        {
            return "a component";
        }

        return "a " + role.Name;
    }
}
