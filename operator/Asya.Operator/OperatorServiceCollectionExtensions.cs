using Asya.Components;
using Asya.Components.Observability;
using Asya.Hosting;
using Asya.Hosting.Health;
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
        services.TryAddSingleton<LoopHeartbeats>();
        services.AddSingleton<IHostedService, OperatorService>();
        return services;
    }

    /// <summary>Serves the operator's <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c> (unready while a reconcile worker is stuck) on <paramref name="address"/>.</summary>
    public static IServiceCollection AddAsyaOperatorProbes(this IServiceCollection services, string address)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(_ => new PrometheusExposition(OperatorService.Meter));
        services.AddSingleton<IHostedService>(sp =>
        {
            var loops = sp.GetRequiredService<LoopHeartbeats>();
            return new ProbeServer(address, sp.GetRequiredService<PrometheusExposition>(), () => true, () => loops);
        });
        return services;
    }
}
