namespace Asya.Bench.Scaler;

/// <summary>One run at one ScaledObject count.</summary>
internal sealed record ScenarioResult(
    int ScaledObjects, double P50Micros, double P99Micros, double BrokerCallsPerInterval, int QueuesPerCall, double PushMillis);
