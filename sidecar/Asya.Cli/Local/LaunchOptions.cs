namespace Asya.Cli.Local;

/// <summary>How <c>asya up</c> starts its sidecars.</summary>
/// <param name="Self">Command that runs this program (children run <c>asya sidecar …</c>).</param>
/// <param name="Python">Python interpreter.</param>
/// <param name="RuntimeFile">The Python runtime file each actor's sidecar starts.</param>
internal sealed record LaunchOptions(SelfCommand Self, string Python, string RuntimeFile)
{
    /// <summary>Longest wait for every sidecar's <c>/readyz</c>.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Longest wait for children to drain after SIGTERM before they are killed.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Show every child log line, not only warnings and errors.</summary>
    public bool Verbose { get; init; }

    /// <summary>Show one short line per handled envelope (<c>asya up</c>), even without <see cref="Verbose"/>.</summary>
    public bool ShowHops { get; init; }

    /// <summary>The gateway to start beside the sidecars; null with <c>--no-gateway</c>.</summary>
    public LocalGateway? Gateway { get; init; }
}
