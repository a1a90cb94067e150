namespace Asya.Sidecar.Runtime;

/// <summary>Knows whether the runtime is ready and can kill it when a handler overruns its timeout.</summary>
internal interface IRuntimeController
{
    bool IsReady { get; }

    /// <summary>Waits for the ready file and a healthy <c>/healthz</c>; false when <paramref name="timeout"/> passes first.</summary>
    Task<bool> WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Forgets readiness, so the next <see cref="WaitReadyAsync"/> checks again.</summary>
    void MarkUnready();

    /// <summary>Kills the runtime process (it is restarted by the supervisor or by Kubernetes).</summary>
    Task KillAsync(CancellationToken cancellationToken);
}
