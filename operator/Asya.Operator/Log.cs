using Microsoft.Extensions.Logging;

namespace Asya.Operator;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "reconciled {Key}: {Summary}")]
    public static partial void Reconciled(this ILogger logger, string key, string summary);

    [LoggerMessage(2, LogLevel.Warning, "reconcile of {Key} failed (retry {Attempt} in {Delay}): {Error}")]
    public static partial void ReconcileFailed(this ILogger logger, string key, int attempt, TimeSpan delay, string error, Exception exception);

    [LoggerMessage(3, LogLevel.Warning, "watch of {Resource} ended: {Error}; re-listing in {Delay}")]
    public static partial void WatchFailed(this ILogger logger, string resource, string error, TimeSpan delay);

    [LoggerMessage(4, LogLevel.Information, "{Verb} {Resource} {Namespace}/{Name}")]
    public static partial void Wrote(this ILogger logger, string verb, string resource, string @namespace, string name);

    [LoggerMessage(5, LogLevel.Warning, "{Key}: deleting queue {Queue} failed, the AsyncActor is deleted anyway: {Error}")]
    public static partial void QueueDeleteFailed(this ILogger logger, string key, string queue, string error);

    [LoggerMessage(6, LogLevel.Warning, "{Key}: {Problem}")]
    public static partial void ActorProblem(this ILogger logger, string key, string problem);

    [LoggerMessage(7, LogLevel.Information, "asya-operator started: watching {Scope}, {Workers} workers, resync every {Resync}")]
    public static partial void Started(this ILogger logger, string scope, int workers, TimeSpan resync);

    [LoggerMessage(8, LogLevel.Debug, "{Key}: queue depth unavailable: {Error}")]
    public static partial void DepthUnavailable(this ILogger logger, string key, string error);
}
