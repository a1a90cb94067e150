using Asya.Components;
using Asya.Operator.Kube;
using Asya.Operator.Reconcile;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Asya.Operator;

/// <summary>Registers the operator (reconciler, watches, workers) as a hosted service.</summary>
public static class OperatorServiceCollectionExtensions
{
    public static IServiceCollection AddAsyaOperator(this IServiceCollection services, OperatorSettings settings, IKubernetes client)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(client);
        services.AddBuiltInComponents();
        services.TryAddSingleton(new ComponentLoaderOptions { AppId = OperatorSettings.FieldManager });
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(settings);
        services.AddSingleton(new KubeApi(client));
        services.AddSingleton(sp => new ComponentSource(sp.GetRequiredService<KubeApi>(), sp.GetRequiredService<TimeProvider>(), settings.ResyncPeriod));
        services.AddSingleton<QueueManager>();
        services.AddSingleton<ActorReconciler>();
        services.AddSingleton<IHostedService, OperatorService>();
        return services;
    }
}
