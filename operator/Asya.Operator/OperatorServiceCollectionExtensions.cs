using Asya.Components;
using Asya.Components.Observability;
using Asya.Hosting;
using Asya.Hosting.Health;
using Asya.Operator.Kube;
using Asya.Operator.Observability;
using Asya.Operator.Reconcile;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Asya.Operator;

/// <summary>
/// Registers the operator (reconciler, watches, workers) as a hosted service, and its <c>/metrics</c>, <c>/healthz</c>,
/// <c>/readyz</c> on <see cref="OperatorSettings.MetricsAddress"/>.
/// </summary>
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
        services.AddMetrics();
        services.TryAddSingleton<OperatorMetrics>();
        services.TryAddSingleton(sp => new PrometheusExposition(sp.GetRequiredService<OperatorMetrics>().Meter));
        services.AddSingleton<IHostedService, OperatorService>();
        // Unready while a reconcile worker is stuck (its heartbeat, OperatorService.ReconcileDeadline).
        services.TryAddSingleton(sp =>
        {
            var loops = sp.GetRequiredService<LoopHeartbeats>();
            return new ProbeServer(settings.MetricsAddress, sp.GetRequiredService<PrometheusExposition>(), () => true, () => loops);
        });
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ProbeServer>());
        return services;
    }
}
