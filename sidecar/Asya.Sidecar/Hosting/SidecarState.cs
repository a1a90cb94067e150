namespace Asya.Sidecar.Hosting;

/// <summary>What /readyz reports and what the process returns: shared by the loop, the runtime gate and the host.</summary>
internal sealed class SidecarState
{
    private volatile bool _receiving;

    public bool Receiving
    {
        get => _receiving;
        set => _receiving = value;
    }

    public int ExitCode { get; set; }
}
