using System.Diagnostics.Metrics;

namespace Asya.Operator.Observability;

/// <summary>The operator's instruments, exposed on <c>/metrics</c> by the shared Prometheus exposition.</summary>
internal sealed class OperatorMetrics
{
    public const string MeterName = "Asya.Operator";

    private readonly Counter<long> _reconciles;

    public OperatorMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter = meterFactory.Create(MeterName);
        _reconciles = Meter.CreateCounter<long>("asya_operator_reconciles_total", description: "Reconciles by result");
    }

    public Meter Meter { get; }

    /// <summary>One reconcile ended: <c>done</c>, <c>retry</c> (requeued by the reconciler) or <c>error</c> (it threw).</summary>
    public void Reconciled(string result) => _reconciles.Add(1, new KeyValuePair<string, object?>("result", result));
}
