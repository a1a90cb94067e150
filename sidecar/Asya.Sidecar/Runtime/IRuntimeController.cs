namespace Asya.Sidecar.Runtime;

/// <summary>Knows whether the runtime is ready, how a runtime process ended, and can kill it when a handler overruns its timeout.</summary>
internal interface IRuntimeController
{
    bool IsReady { get; }

    /// <summary>Identifies the runtime process serving calls now; read before a call, passed to <see cref="ExitOfAsync"/> after.</summary>
    long Generation { get; }

    /// <summary>Waits for the ready file and a healthy <c>/healthz</c>; false when <paramref name="timeout"/> passes first.</summary>
    Task<bool> WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Forgets readiness, so the next <see cref="WaitReadyAsync"/> checks again.</summary>
    void MarkUnready();

    /// <summary>Kills the runtime process (it is restarted by the supervisor or by Kubernetes).</summary>
    Task KillAsync(CancellationToken cancellationToken);

    /// <summary>
    /// How the process of <paramref name="generation"/> ended, waiting up to <paramref name="wait"/> for it to end;
    /// null when it is still running after that (the call broke for another reason).
    /// </summary>
    Task<RuntimeExit?> ExitOfAsync(long generation, TimeSpan wait, CancellationToken cancellationToken);
}
