namespace Asya.Cli.Local;

/// <summary>One sidecar as the supervisor tracks it; the launch and child change when it is restarted on another port.</summary>
internal sealed class SupervisedSidecar(SidecarLaunch launch, ChildProcess child)
{
    public SidecarLaunch Launch { get; set; } = launch;

    public ChildProcess Child { get; set; } = child;

    public int Restarts { get; set; }
}
