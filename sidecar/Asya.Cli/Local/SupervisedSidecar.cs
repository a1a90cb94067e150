namespace Asya.Cli.Local;

/// <summary>One sidecar as the supervisor tracks it; the launch and child change when it is restarted on another port.</summary>
internal sealed class SupervisedSidecar(SidecarLaunch launch, ChildProcess child)
{
    public SidecarLaunch Launch { get; set; } = launch;

    public ChildProcess Child { get; set; } = child;

    /// <summary>Starts again on another port while the mesh starts (the metrics port was taken).</summary>
    public int Restarts { get; set; }

    /// <summary>Restarts after the sidecar exited while the mesh ran.</summary>
    public int TotalRestarts { get; set; }

    /// <summary>When it exited recently (oldest first), for the give-up rule.</summary>
    public Queue<DateTimeOffset> RecentExits { get; } = new();
}
