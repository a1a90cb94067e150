using Microsoft.Extensions.Logging;

namespace Asya.ExternalScaler;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "External scaler listening: gRPC on {GrpcAddress} ({Security}), metrics on {MetricsAddress}")]
    public static partial void Listening(this ILogger logger, string grpcAddress, string security, string metricsAddress);

    [LoggerMessage(2, LogLevel.Information, "Depth engine started with {Count} transport component(s): {Components}")]
    public static partial void EngineStarted(this ILogger logger, int count, string components);

    [LoggerMessage(3, LogLevel.Information, "Polling transport component {Component} ({Type}) every {Interval}; depths older than {StaleAfter} are refused")]
    public static partial void PollerStarted(this ILogger logger, string component, string type, TimeSpan interval, TimeSpan staleAfter);

    [LoggerMessage(4, LogLevel.Warning, "Transport component {Component} ({Type}) cannot report queue depths: ScaledObjects naming it get errors")]
    public static partial void TransportUnsupported(this ILogger logger, string component, string type);

    [LoggerMessage(5, LogLevel.Warning, "Cannot create transport component {Component}; retrying in {Delay}")]
    public static partial void TransportCreateFailed(this ILogger logger, Exception exception, string component, TimeSpan delay);

    [LoggerMessage(6, LogLevel.Warning, "Depth poll of {Queues} queue(s) on {Component} failed; answering Unavailable once the cache is stale")]
    public static partial void PollFailed(this ILogger logger, Exception exception, string component, int queues);

    [LoggerMessage(7, LogLevel.Information, "Depth polls on {Component} recovered after {Failures} failure(s)")]
    public static partial void PollRecovered(this ILogger logger, string component, int failures);

    [LoggerMessage(8, LogLevel.Debug, "Rejected metadata of ScaledObject {Namespace}/{Name}: {Reason}")]
    public static partial void MetadataRejected(this ILogger logger, string @namespace, string name, string reason);
}
