namespace Asya.ExternalScaler.Metadata;

/// <summary>Trigger metadata keys the scaler reads (KEDA passes the whole trigger <c>metadata</c> map).</summary>
internal static class MetadataKeys
{
    public const string Actor = "actor";
    public const string Namespace = "namespace";
    public const string Component = "component";
    public const string TargetQueueLength = "targetQueueLength";
    public const string ActivationQueueLength = "activationQueueLength";
    public const string CountInFlight = "countInFlight";
}
